"""Runs a command on a real pseudo-terminal (stdin, stdout and stderr), sized 100x30, as a
session leader with the pty as its controlling terminal: Ctrl-C typed on it becomes SIGINT for
the process, as in a shell. Used by test/cli-tty.test.ts.

  python3 pty-run.py <wait-for> <send-hex> -- command args...

Waits until the output contains <wait-for> (up to 60 s), writes the bytes <send-hex> to the
terminal (e.g. 03 for Ctrl-C), then reads until the process exits (up to 60 s). Prints one JSON
line: {"status": exit code or null, "signal": signal number or null, "output": what the terminal
showed (latin-1), "sawMarker": bool}.
"""
import fcntl, json, os, select, struct, subprocess, sys, termios, time

marker = sys.argv[1].encode()
send = bytes.fromhex(sys.argv[2])
cmd = sys.argv[sys.argv.index('--') + 1:]

master, slave = os.openpty()
fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack('HHHH', 30, 100, 0, 0))

def controlling_tty():
    os.setsid()
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)

proc = subprocess.Popen(cmd, stdin=slave, stdout=slave, stderr=slave, preexec_fn=controlling_tty, close_fds=True)
os.close(slave)
out = b''
saw = False

def pump(until):
    global out
    end = time.monotonic() + 60
    while time.monotonic() < end:
        if until():
            return True
        r, _, _ = select.select([master], [], [], 0.05)
        if r:
            try:
                chunk = os.read(master, 65536)
            except OSError:
                chunk = b''
            if not chunk:
                return until()
            out += chunk
    return until()

saw = pump(lambda: marker in out)
if saw and send:
    os.write(master, send)
pump(lambda: proc.poll() is not None)
try:
    proc.wait(timeout=5)
except subprocess.TimeoutExpired:
    proc.kill()
    proc.wait()
code = proc.returncode
print(json.dumps({"status": code if code >= 0 else None, "signal": -code if code < 0 else None, "output": out.decode('latin-1'), "sawMarker": saw}))

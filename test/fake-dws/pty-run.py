"""Runs a command in a real pseudo-terminal (stdin, stdout and stderr are the pty's slave side, as
in a user's terminal), answers its first "[y/N]" prompt with argv[1], and prints everything the
terminal showed. Exit status: the command's. Used by test/dws-tty.test.ts (python3's pty module,
no npm dependency)."""
import os
import pty
import select
import sys

answer, argv = sys.argv[1], sys.argv[2:]
pid, fd = pty.fork()
if pid == 0:
    os.execvp(argv[0], argv)

shown = b""
answered = False
while True:
    try:
        ready, _, _ = select.select([fd], [], [], 120)
    except InterruptedError:
        continue
    if not ready:  # a safety net against a hung child, not a timing assertion
        os.kill(pid, 9)
        break
    try:
        chunk = os.read(fd, 4096)
    except OSError:  # EIO: the child closed the terminal
        break
    if not chunk:
        break
    shown += chunk
    if not answered and b"[y/N]" in shown:
        answered = True
        os.write(fd, answer.encode() + b"\r")

_, status = os.waitpid(pid, 0)
sys.stdout.write(shown.decode("utf-8", "replace"))
sys.stdout.write("\n[prompted]\n" if answered else "\n[not prompted]\n")
sys.exit(os.waitstatus_to_exitcode(status))

"""Runs a command in a real pseudo-terminal (stdin, stdout and stderr are the pty's slave side, as
in a user's terminal) and answers its prompts in order: argv[1] is a JSON list of answers; each one
is typed when the terminal's last line (its escape sequences aside) ends in ": " (a readline question). Prints everything the
terminal showed, then "[answered N]". Exit status: the command's. python3's pty module, no npm
dependency. Used by test/init.test.ts and test/dws-tty.test.ts."""
import json
import os
import pty
import re
import select
import sys

answers, argv = json.loads(sys.argv[1]), sys.argv[2:]
pid, fd = pty.fork()
if pid == 0:
    os.execvp(argv[0], argv)

shown = b""
answered = 0
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
    # readline moves the cursor after its prompt (ESC [ n G): look at the text only.
    last_line = re.sub(rb"\x1b\[[0-9;]*[A-Za-z]", b"", shown.rsplit(b"\n", 1)[-1])
    if answered < len(answers) and last_line.endswith(b": "):
        os.write(fd, answers[answered].encode() + b"\r")
        answered += 1
        shown += b"\n"  # the echo comes back on this line; keep the next prompt on its own

_, status = os.waitpid(pid, 0)
sys.stdout.write(shown.decode("utf-8", "replace"))
sys.stdout.write("\n[answered %d]\n" % answered)
sys.exit(os.waitstatus_to_exitcode(status))

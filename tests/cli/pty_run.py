# Runs a command in a pseudo-terminal (its stdin, stdout and stderr are all a terminal), as a
# person at a terminal would: when --expect REGEX appears in its output, types --answer and Enter.
# Prints everything the command wrote and exits with its exit code (128+N for signal N).
#   python3 pty_run.py [--expect REGEX --answer TEXT] -- COMMAND ARGS...
import os, pty, re, sys

args = sys.argv[1:]
sep = args.index("--")
opts, cmd = args[:sep], args[sep + 1:]
expect = answer = None
if "--expect" in opts:
    expect = re.compile(opts[opts.index("--expect") + 1].encode())
    answer = opts[opts.index("--answer") + 1].encode() + b"\r"

pid, fd = pty.fork()
if pid == 0:
    os.execvp(cmd[0], cmd)
out = b""
while True:
    try:
        chunk = os.read(fd, 65536)
    except OSError:  # EIO: the command closed the terminal
        break
    if not chunk:
        break
    out += chunk
    if expect is not None and expect.search(out):
        os.write(fd, answer)
        expect = None
_, status = os.waitpid(pid, 0)
sys.stdout.buffer.write(out)
sys.exit(os.waitstatus_to_exitcode(status) if os.WIFEXITED(status) else 128 + os.WTERMSIG(status))

# Ctrl-C for a test: runs argv (scmp-apply PROFILE -- CMD...) in its own
# session with standard input a pipe kept open, waits until a process named
# $WAIT_FOR (default sort) runs in it, sends SIGINT to the whole process
# group as a terminal does, and prints the status as a shell reports it
# (128+N for a signal N).  Exit 2 when that process never ran.
import os, signal, subprocess, sys, time
cmd = sys.argv[1:]
p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                     start_new_session=True)
want = os.environ.get("WAIT_FOR", "sort")
deadline = time.time() + 10
def running():
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                if os.getpgid(int(d)) == p.pid and open("/proc/%s/comm" % d).read().strip() == want:
                    return True
            except OSError:
                pass
    return False
while not running():
    if time.time() > deadline:
        print("timeout: %s never ran" % want); p.kill(); sys.exit(2)
    time.sleep(0.05)
time.sleep(0.2)
os.killpg(p.pid, signal.SIGINT)
rc = p.wait(timeout=10)
print(128 - rc if rc < 0 else rc)

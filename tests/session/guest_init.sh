#!/bin/bash
# Inside the test VM, as root (tests/test_login_session.py boots it): a machine with a display manager.
# Creates the user that logs in, starts seatd (the seat manager) and greetd (Debian 12's display manager)
# with auto-login into the session command the host found in the installed orrery.desktop, then serves the
# host's requests (guest_agent.py) until the VM is powered off.
#   SESSION_CMD  the desktop entry's Exec      TEST_USER  the user (password = the name)
set -u
U=${TEST_USER:-tester}
D=/tmp/login-test
say() { echo "GUEST: [$(cut -d' ' -f1 /proc/uptime)] $*"; }
mkdir -p "$D" && chmod 755 "$D"

# virtme-ng bind-mounts a generated /etc/shadow (useradd cannot rename over it): use the host's copy
for f in /etc/passwd /etc/group /etc/shadow /etc/gshadow; do
    grep -q " $f " /proc/self/mounts && umount "$f"
done
id "$U" >/dev/null 2>&1 || useradd -m -G video,input -s /bin/bash "$U" || { say "FAIL useradd"; exit 1; }
echo "$U:$U" | chpasswd
UID_=$(id -u "$U")
# no logind: nobody else makes the user's runtime dir, nor removes the boot-time /run/nologin that refuses
# password logins at the greeter
install -d -m 0700 -o "$U" -g "$U" "/run/user/$UID_"
rm -f /run/nologin /etc/nologin

# text on VT 2, so that switching there shows a console with something on it
printf '\n  Orrery login-session test: the text console of VT 2\n\n' > /dev/tty2

seatd -g video -l info >"$D/seatd.log" 2>&1 &
for _ in $(seq 50); do [ -S /run/seatd.sock ] && break; sleep 0.1; done

cat >"$D/greetd.toml" <<TOML
[terminal]
vt = 1

[general]
runfile = "$D/greetd.run"

[default_session]
command = "/usr/sbin/agreety --cmd '$SESSION_CMD'"
user = "_greetd"

[initial_session]
user = "$U"
command = "$SESSION_CMD"
TOML
greetd -c "$D/greetd.toml" >"$D/greetd.log" 2>&1 &
say "greetd started: user $U ($UID_) logs in to: $SESSION_CMD"

# the session's log, as it is written, on the console (the host keeps it with the test's output)
LOG=/home/$U/.local/state/orrery/session.log
( while [ ! -e "$LOG" ]; do sleep 0.5; done; tail -n +1 -F "$LOG" 2>/dev/null | sed -u 's/^/SESSION: /' ) &
exec /usr/bin/python3 "$(dirname "$0")/guest_agent.py"

#!/usr/bin/env bash
# Test hosts for jparallel's multi-host tests (issue 14), built on this one machine, as root:
#   - two network namespaces, jp-alpha and jp-beta, each joined to the root namespace by a veth pair
#     (10.213.1.1 <-> 10.213.1.2 and 10.213.2.1 <-> 10.213.2.2), with an sshd inside each that
#     listens only on the namespace's address and lets in the key made for this run;
#   - a one-node Slurm cluster (munged, slurmctld, slurmd) on this machine, node = $(hostname).
#
# Usage: hosts.sh up|down|status
#   up      installs what is missing (apt-get), builds whatever is not there yet; idempotent
#   down    stops every process it started, deletes the namespaces and veths, the run directory
#           and /etc/slurm/slurm.conf if it is our symlink; idempotent, leaves nothing
#   status  prints what tests need (shell-sourceable KEY=VALUE lines); exits 1 unless all is up
#
# Everything it writes lives in $JP_HOSTS_RUN (default /run/jparallel-hosts, mode 0700), except the
# symlink /etc/slurm/slurm.conf -> $JP_HOSTS_RUN/slurm/slurm.conf (made only where no slurm.conf
# exists), so that srun/sbatch find the cluster without SLURM_CONF.
set -euo pipefail

RUN=${JP_HOSTS_RUN:-/run/jparallel-hosts}
HOSTS=(alpha beta)
declare -A SUBNET=([alpha]=1 [beta]=2)
PREFIX=10.213
SLURM_CONF_LINK=/etc/slurm/slurm.conf
NODE=$(hostname)

ns() { echo "jp-$1"; }
host_ip() { echo "$PREFIX.${SUBNET[$1]}.2"; }   # the namespace's address
root_ip() { echo "$PREFIX.${SUBNET[$1]}.1"; }   # the root namespace's end of the link (the kernel's address)
veth_root() { echo "jp-$1-r"; }
veth_ns() { echo "jp-$1-n"; }

log() { echo "hosts.sh: $*" >&2; }
die() { log "$*"; exit 1; }

# A pid file's process, if it is alive.
alive() { [[ -s $1 ]] && kill -0 "$(cat "$1")" 2>/dev/null; }

# Waits up to $2 seconds for the command "$3..." to succeed.
wait_for() {
    local what=$1 seconds=$2; shift 2
    local deadline=$((SECONDS + seconds))
    until "$@" >/dev/null 2>&1; do
        ((SECONDS < deadline)) || die "$what did not come up within ${seconds}s"
        sleep 0.2
    done
}

install_packages() {
    local missing=()
    command -v ip >/dev/null || missing+=(iproute2)
    [[ -x /usr/sbin/sshd ]] || missing+=(openssh-server)
    command -v ssh >/dev/null || missing+=(openssh-client)
    command -v munged >/dev/null || missing+=(munge)
    command -v slurmctld >/dev/null && command -v slurmd >/dev/null || missing+=(slurm-wlm)
    if ((${#missing[@]})); then
        log "installing ${missing[*]}"
        apt-get update -q >/dev/null
        # the packages' own services are not started: policy-rc.d or no init system; we run our own
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
    fi
}

# ---- network namespaces and sshd ----

net_up() {
    local h=$1 n; n=$(ns "$1")
    ip netns list | grep -qw "^$n" || ip netns add "$n"
    if ! ip link show "$(veth_root "$h")" >/dev/null 2>&1; then
        ip link add "$(veth_root "$h")" type veth peer name "$(veth_ns "$h")"
        ip link set "$(veth_ns "$h")" netns "$n"
    fi
    ip addr replace "$(root_ip "$h")/24" dev "$(veth_root "$h")"
    ip link set "$(veth_root "$h")" up
    ip netns exec "$n" ip addr replace "$(host_ip "$h")/24" dev "$(veth_ns "$h")"
    ip netns exec "$n" ip link set "$(veth_ns "$h")" up
    ip netns exec "$n" ip link set lo up
}

keys_up() {
    [[ -f $RUN/client_key ]] || ssh-keygen -q -t ed25519 -N '' -C "jparallel-hosts client" -f "$RUN/client_key"
    chmod 600 "$RUN/client_key"
    install -m 600 "$RUN/client_key.pub" "$RUN/authorized_keys"
    : >"$RUN/known_hosts.new"
    : >"$RUN/ssh_config.new"
    local h
    for h in "${HOSTS[@]}"; do
        mkdir -p -m 700 "$RUN/$h"
        [[ -f $RUN/$h/host_key ]] || ssh-keygen -q -t ed25519 -N '' -C "jparallel-hosts $h" -f "$RUN/$h/host_key"
        echo "$h,$(host_ip "$h") $(cut -d' ' -f1,2 "$RUN/$h/host_key.pub")" >>"$RUN/known_hosts.new"
        cat >>"$RUN/ssh_config.new" <<EOF
Host $h
    HostName $(host_ip "$h")
    User root
    IdentityFile $RUN/client_key
    IdentitiesOnly yes
    UserKnownHostsFile $RUN/known_hosts
    GlobalKnownHostsFile /dev/null
    StrictHostKeyChecking yes
    HostKeyAlias $h
    BatchMode yes
    ConnectTimeout 5
    ServerAliveInterval 5
    ServerAliveCountMax 3
    LogLevel ERROR

EOF
        cat >"$RUN/$h/sshd_config" <<EOF
# sshd of test host $h, run inside network namespace $(ns "$h") by .ci/hosts.sh
ListenAddress $(host_ip "$h"):22
HostKey $RUN/$h/host_key
PidFile $RUN/$h/sshd.pid
AuthorizedKeysFile $RUN/authorized_keys
PermitRootLogin prohibit-password
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
X11Forwarding no
AllowTcpForwarding no
AllowAgentForwarding no
PermitTunnel no
PermitUserEnvironment no
UseDNS no
MaxStartups 64:30:128
SetEnv PATH=$PATH
EOF
    done
    mv "$RUN/known_hosts.new" "$RUN/known_hosts"
    mv "$RUN/ssh_config.new" "$RUN/ssh_config"
    chmod 600 "$RUN/known_hosts" "$RUN/ssh_config"
}

sshd_up() {
    local h=$1
    alive "$RUN/$h/sshd.pid" && return
    mkdir -p -m 755 /run/sshd   # sshd's privilege separation directory
    ip netns exec "$(ns "$h")" /usr/sbin/sshd -f "$RUN/$h/sshd_config" -E "$RUN/$h/sshd.log"
    wait_for "sshd of $h" 10 ssh -F "$RUN/ssh_config" "$h" true
}

# ---- Slurm ----

slurm_up() {
    local s=$RUN/slurm
    mkdir -p -m 700 "$s" "$s/munge" "$s/state" "$s/spool"
    if [[ ! -f $s/munge/munge.key ]]; then
        (umask 077; head -c 1024 /dev/urandom >"$s/munge/munge.key")
    fi
    if ! alive "$s/munge/munged.pid"; then
        # munged refuses to run as root without --force; its socket, key, seed and log stay in the run dir
        munged --force --key-file="$s/munge/munge.key" --socket="$s/munge/munge.socket" \
            --pid-file="$s/munge/munged.pid" --log-file="$s/munge/munged.log" --seed-file="$s/munge/munged.seed"
        wait_for munged 10 test -S "$s/munge/munge.socket"
    fi
    local cpus mem
    cpus=$(nproc)
    mem=$(awk '/MemTotal/ {print int($2 / 1024 / 2)}' /proc/meminfo)
    cat >"$s/slurm.conf.new" <<EOF
# A one-node Slurm cluster for jparallel's tests, written by .ci/hosts.sh
ClusterName=jparallel
SlurmctldHost=$NODE(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$s/munge/munge.socket
StateSaveLocation=$s/state
SlurmdSpoolDir=$s/spool
SlurmctldPidFile=$s/slurmctld.pid
SlurmdPidFile=$s/slurmd.pid
SlurmctldLogFile=$s/slurmctld.log
SlurmdLogFile=$s/slurmd.log
SlurmctldPort=6817
SlurmdPort=6818
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
MpiDefault=none
ReturnToService=2
SlurmdTimeout=30
InactiveLimit=0
KillWait=5
NodeName=$NODE NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=debug Nodes=$NODE Default=YES MaxTime=INFINITE State=UP OverSubscribe=NO
EOF
    mv "$s/slurm.conf.new" "$s/slurm.conf"
    chmod 644 "$s/slurm.conf"
    if [[ -L $SLURM_CONF_LINK || ! -e $SLURM_CONF_LINK ]]; then
        mkdir -p "$(dirname "$SLURM_CONF_LINK")"
        ln -sfn "$s/slurm.conf" "$SLURM_CONF_LINK"
    elif [[ $(readlink -f "$SLURM_CONF_LINK") != "$s/slurm.conf" ]]; then
        log "note: $SLURM_CONF_LINK exists and is not ours; use SLURM_CONF=$s/slurm.conf"
    fi
    export SLURM_CONF=$s/slurm.conf
    alive "$s/slurmctld.pid" || slurmctld -f "$s/slurm.conf"
    alive "$s/slurmd.pid" || slurmd -f "$s/slurm.conf"
    wait_for slurmctld 30 scontrol ping
    wait_for "node $NODE idle" 60 bash -c "sinfo -h -N -o %T | grep -qx idle"
}

# ---- the commands ----

up() {
    [[ $EUID -eq 0 ]] || die "must run as root"
    local start=$SECONDS
    install_packages
    mkdir -p -m 700 "$RUN"
    chmod 700 "$RUN"
    keys_up
    local h
    for h in "${HOSTS[@]}"; do
        net_up "$h"
        sshd_up "$h"
    done
    slurm_up
    check
    log "up in $((SECONDS - start)) s"
}

# The checks the tests rely on: ssh to each host runs java in its namespace; srun and sbatch work.
check() {
    local h out
    for h in "${HOSTS[@]}"; do
        out=$(ssh -F "$RUN/ssh_config" "$h" 'java -version 2>&1 | head -1; readlink /proc/self/ns/net')
        [[ $out == *version* ]] || die "ssh $h java -version said: $out"
        [[ $(tail -1 <<<"$out") != "$(readlink /proc/self/ns/net)" ]] || die "ssh $h runs in the root namespace"
    done
    export SLURM_CONF=$RUN/slurm/slurm.conf
    [[ $(timeout 60 srun -N1 hostname) == "$NODE" ]] || die "srun -N1 hostname failed"
    local job
    job=$(sbatch --parsable -N1 -o /dev/null --wrap true)
    wait_for "sbatch job $job" 60 bash -c "! squeue -h -j $job | grep -q ."
    [[ $(job_state "$job") != FAILED ]] || die "sbatch job $job failed"
}

# The state of a job (no accounting here, so not sacct: scontrol remembers a finished job for MinJobAge, 300 s).
job_state() { scontrol show job "$1" 2>/dev/null | sed -n 's/.*JobState=\([A-Z_]*\).*/\1/p'; }

stop_pidfile() {
    local file=$1 what=$2 pid
    if alive "$file"; then
        pid=$(cat "$file")
        kill "$pid"
        local deadline=$((SECONDS + 10))
        while kill -0 "$pid" 2>/dev/null; do
            if ((SECONDS >= deadline)); then
                log "$what ($pid) ignored SIGTERM; killing it"
                kill -KILL "$pid" 2>/dev/null || true
                break
            fi
            sleep 0.1
        done
    fi
    rm -f "$file"
}

down() {
    [[ $EUID -eq 0 ]] || die "must run as root"
    local s=$RUN/slurm h n pids
    if [[ -d $s ]]; then
        export SLURM_CONF=$s/slurm.conf
        if alive "$s/slurmctld.pid"; then
            # jobs a failed test left behind: their steps (slurmstepd) end with them, before slurmd stops
            scancel --full --user=root >/dev/null 2>&1 || true
            local deadline=$((SECONDS + 15))
            while [[ -n $(squeue -h 2>/dev/null) ]] && ((SECONDS < deadline)); do
                sleep 0.2
            done
        fi
        stop_pidfile "$s/slurmd.pid" slurmd
        stop_pidfile "$s/slurmctld.pid" slurmctld
        stop_pidfile "$s/munge/munged.pid" munged
    fi
    for h in "${HOSTS[@]}"; do
        n=$(ns "$h")
        [[ -d $RUN/$h ]] && stop_pidfile "$RUN/$h/sshd.pid" "sshd of $h"
        if ip netns list | grep -qw "^$n"; then
            # whatever still runs in the namespace (ssh sessions, workers a test left) ends with it
            pids=$(ip netns pids "$n" || true)
            [[ -z $pids ]] || kill -KILL $pids 2>/dev/null || true
            ip netns del "$n"
        fi
        ip link del "$(veth_root "$h")" 2>/dev/null || true
    done
    if [[ -L $SLURM_CONF_LINK && $(readlink "$SLURM_CONF_LINK") == "$s/slurm.conf" ]]; then
        rm -f "$SLURM_CONF_LINK"
    fi
    rm -rf "$RUN"
}

status() {
    local ok=1 h
    echo "JP_HOSTS_RUN=$RUN"
    echo "JP_HOSTS_SSH_CONFIG=$RUN/ssh_config"
    echo "JP_HOSTS_NAMES=\"${HOSTS[*]}\""
    for h in "${HOSTS[@]}"; do
        local H=${h^^}
        echo "JP_HOST_${H}_NETNS=$(ns "$h")"
        echo "JP_HOST_${H}_ADDRESS=$(host_ip "$h")"
        echo "JP_HOST_${H}_KERNEL_ADDRESS=$(root_ip "$h")"
        if alive "$RUN/$h/sshd.pid" && ip netns list | grep -qw "^$(ns "$h")"; then
            echo "JP_HOST_${H}_UP=true"
        else
            echo "JP_HOST_${H}_UP=false"; ok=0
        fi
    done
    echo "JP_SLURM_CONF=$RUN/slurm/slurm.conf"
    echo "JP_SLURM_NODE=$NODE"
    echo "JP_SLURM_PARTITION=debug"
    if alive "$RUN/slurm/slurmctld.pid" && alive "$RUN/slurm/slurmd.pid"; then
        echo "JP_SLURM_UP=true"
    else
        echo "JP_SLURM_UP=false"; ok=0
    fi
    ((ok))
}

case ${1:-} in
    up) up ;;
    down) down ;;
    status) status ;;
    *) echo "usage: $0 up|down|status" >&2; exit 2 ;;
esac

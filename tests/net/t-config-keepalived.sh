#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
# keepalived -t beside vigild -t on every file of tests/conf-corpus.
#
# Each corpus file starts with its SPDX line and a "# Covers: ..." comment
# saying what it is for, and says in that header which interfaces it names
# ("# interfaces: eth0 eth1") and, optionally, extra arguments for both
# programs ("# args: -i lb1"). For each file the test makes sure those
# interfaces exist in its namespace (veth pairs: this kernel may lack the
# dummy driver), runs `keepalived -t -f FILE` and `vigild -t -f FILE` in it from
# the corpus directory, and classifies both answers (one namespace serves
# the whole run: every link a header names is added to it):
#
#   keepalived  clean   exit 0
#               warned  messages, all of them warnings (WARNING, "resetting",
#                       "ignoring", "deprecated", SECURITY VIOLATION...)
#               error   at least one error message (keepalived reports it,
#                       skips the line and would still run)
#               fatal   exit 4, or "Non-existent interface" / "Unknown
#                       interface!": keepalived cannot run the file
#               killed  any other exit (a signal): no verdict
#   vigild      clean   exit 0, no warning (or only "has no effect" ones)
#               warned  exit 0 with another warning
#               refused exit 1
#               anything else (a crash, a sanitizer's 86) fails the test
#
# keepalived's exit status alone cannot tell these apart: it keeps the
# numerically highest config_err_t of the run, so a warning (5) or a
# missing script_security (6) hides a missing interface (4). Hence the
# messages are read.
#
# They agree on clean/clean, warned/warned, error/refused and
# fatal/refused (then every line keepalived gave an error for must have a
# vigild error too, else the kind is error-lines). Otherwise the kind of
# difference is one of v-refuses, v-accepts-error, v-accepts-fatal,
# warn-missing, warn-extra, error-lines, k-killed. For every file vigild
# accepts, `vigild --dump-config` must succeed with valid JSON (else
# dump-fails), and the flag values of the table below must be keepalived
# 2.2.7's (else dump-value).
#
# tests/conf-corpus/DIFFERENCES lists the expected differences, one per
# line: FILE KIND STATE KEY DIAGNOSIS. The test fails on a difference not
# listed there, on a listed one that no longer occurs, and on any listed
# as 'open' unless CORPUS_ALLOW_OPEN=1; 'documented' ones pass (KEY names
# the row of vigil.conf(5)'s DIFFERENCES FROM KEEPALIVED table).
# CORPUS_ONLY=GLOB restricts the run to matching files (then stale
# entries of other files are not checked).
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
need keepalived python3

corpus=$NET_TOP/tests/conf-corpus
listfile=$corpus/DIFFERENCES
[[ -f $listfile ]] || fail "$listfile is missing"

# Flag values --dump-config must show, from keepalived 2.2.7's handlers
# (tag v2.2.7): vrrp_nopreempt_handler, vs_alpha_handler, omega_handler
# and script_security_handler set their flag and never read an argument;
# vrrp_preempt_handler clears nopreempt; rs_alpha_handler reads an
# optional boolean, and a real_server without alpha takes the virtual
# server's (check_data.c: rs->alpha == -1 -> vs->alpha). A virtual server
# without protocol is UDP (check_data.c: "no protocol set - defaulting to
# UDP").
dump_expect=(
	"01-vrrp-pair-master.conf vrrp_instance.0.nopreempt false"
	"02-vrrp-pair-backup.conf vrrp_instance.0.nopreempt true"
	"41-flag-nopreempt-1.conf vrrp_instance.0.nopreempt true"
	"42-flag-nopreempt-false.conf vrrp_instance.0.nopreempt true"
	"42-flag-nopreempt-false.conf vrrp_instance.1.nopreempt false"
	"43-flag-alpha-omega.conf virtual_server.0.alpha true"
	"43-flag-alpha-omega.conf virtual_server.0.omega true"
	"43-flag-alpha-omega.conf virtual_server.0.real_server.0.alpha false"
	"43-flag-alpha-omega.conf virtual_server.0.real_server.1.alpha true"
	"44-flag-script-security.conf global_defs.enable_script_security true"
	"45-flag-alpha-no-bare.conf virtual_server.0.alpha true"
	"45-flag-alpha-no-bare.conf virtual_server.0.real_server.0.alpha true"
	"45-flag-alpha-no-bare.conf virtual_server.0.omega false"
	"45-flag-alpha-no-bare.conf virtual_server.1.alpha true"
	"45-flag-alpha-no-bare.conf virtual_server.1.omega true"
	"13-sync-group-tracking-weight.conf global_defs.enable_script_security true"
	"46-protocol-missing.conf virtual_server.0.protocol UDP"
	"46-protocol-missing.conf virtual_server.1.protocol SCTP"
)

# keepalived message classes (the "(FILE: Line N) " prefix removed first).
k_fatal_re="Non-existent interface specified|Unknown interface!|No config files read"
k_warn_re="[Ww][Aa][Rr][Nn][Ii][Nn][Gg]|resetting|[Ii]gnor|deprecated|Please use|defaulting to"
k_warn_re+="|setting to|clearing|must match being address owner|instead|SECURITY VIOLATION"
k_warn_re+="|Using default|not tracking|probably"

# ---- the list of expected differences
# A documented difference names its row of the DIFFERENCES FROM KEEPALIVED
# section of vigil.conf(5) by a roff comment under the row's title,
# '.\" key: KEY' (keys ka-bug-* name a keepalived bug, not a row).
man5=$NET_TOP/doc/vigil.conf.5
[[ -f $man5 ]] || fail "no $man5"
man_keys=$(sed -n '/^\.SH DIFFERENCES FROM KEEPALIVED/,/^\.SH /s/^\.\\" key: //p' "$man5")
[[ -n $man_keys ]] || fail "no '.\\\" key:' lines in DIFFERENCES FROM KEEPALIVED of $man5"
declare -A listed_state=() listed_key=()
while read -r f kind state key _; do
	[[ -z $f || $f == \#* ]] && continue
	[[ -f $corpus/$f ]] || fail "DIFFERENCES names $f, which is not in the corpus"
	case $kind in
	v-refuses | v-accepts-error | v-accepts-fatal | warn-missing | warn-extra | error-lines | \
		k-killed | dump-fails | dump-value) ;;
	*) fail "DIFFERENCES: $f: unknown kind '$kind'" ;;
	esac
	[[ $state == open || $state == documented ]] ||
		fail "DIFFERENCES: $f $kind: state '$state' is neither open nor documented"
	[[ -n $key ]] || fail "DIFFERENCES: $f $kind: no key"
	if [[ $state == documented && $key != ka-bug-* ]] && ! grep -qxF -- "$key" <<<"$man_keys"; then
		fail "DIFFERENCES: $f $kind: key '$key' is not a row of DIFFERENCES FROM KEEPALIVED in vigil.conf(5)"
	fi
	[[ -z ${listed_state[$f $kind]:-} ]] || fail "DIFFERENCES: $f $kind listed twice"
	listed_state[$f $kind]=$state
	listed_key[$f $kind]=$key
done <"$listfile"

# k_class OUT RC: set KV to keepalived's verdict and K_ERRLINES to the
# "base:line" of each error message that names a line.
k_class() {
	local out=$1 rc=$2 line msg file n l has_err=0 has_warn=0
	K_ERRLINES=()
	if ((rc != 0 && rc != 4 && rc != 5 && rc != 6)); then
		KV=killed
		return
	fi
	if ((rc == 4)) || grep -qE "$k_fatal_re" "$out"; then
		KV=fatal
		return
	fi
	while IFS= read -r line; do
		[[ -n $line ]] || continue
		file=$main n=
		if [[ $line =~ ^\(([^:]+):\ Line\ ([0-9]+)\)\ (.*)$ ]]; then
			file=${BASH_REMATCH[1]} n=${BASH_REMATCH[2]} msg=${BASH_REMATCH[3]}
		elif [[ $line =~ ^\(Line\ ([0-9]+)\)\ (.*)$ ]]; then
			n=${BASH_REMATCH[1]} msg=${BASH_REMATCH[2]}
		else
			msg=$line
		fi
		if [[ $msg =~ $k_warn_re ]]; then
			has_warn=1
		else
			has_err=1
			l="$(basename "$file"):$n"
			[[ -n $n && " ${K_ERRLINES[*]} " != *" $l "* ]] && K_ERRLINES+=("$l")
		fi
	done <"$out"
	if ((has_err)); then
		KV=error
	elif ((has_warn || rc != 0)); then
		KV=warned
	else
		KV=clean
	fi
}

# v_class OUT RC: print vigild's verdict.
v_class() {
	local out=$1 rc=$2
	case $rc in
	0)
		if ! grep -q ': warning: ' "$out"; then
			echo clean
		elif grep ': warning: ' "$out" | grep -vq 'is accepted but has no effect'; then
			echo warned
		else
			echo clean
		fi
		;;
	1) echo refused ;;
	*) echo "crashed($rc)" ;;
	esac
}

# compare K V: set KIND to "agree" or the kind of difference (and
# MISSING_LINES for error-lines).
compare() {
	local k=$1 v=$2 l missing=()
	MISSING_LINES=
	case "$k/$v" in
	killed/*) KIND="k-killed" ;;
	clean/clean | warned/warned) KIND=agree ;;
	clean/warned) KIND="warn-extra" ;;
	warned/clean) KIND="warn-missing" ;;
	clean/refused | warned/refused) KIND="v-refuses" ;;
	error/clean | error/warned) KIND="v-accepts-error" ;;
	fatal/clean | fatal/warned) KIND="v-accepts-fatal" ;;
	error/refused | fatal/refused)
		KIND=agree
		for l in "${K_ERRLINES[@]}"; do
			grep -qE "(^|/)${l//./\\.}: error: " "$T/v.out" || missing+=("$l")
		done
		if ((${#missing[@]})); then
			KIND="error-lines"
			MISSING_LINES=${missing[*]}
		fi
		;;
	*) fail "no comparison for keepalived=$k vigild=$v" ;;
	esac
}

n_files=0 n_agree=0 n_doc=0 n_open=0 n_bad=0
declare -A seen=()
bad=()
note() { # note FILE KIND DETAIL: one difference found
	local f=$1 kind=$2 detail=$3 state=${listed_state[$1 $2]:-}
	seen[$f $kind]=1
	case $state in
	documented)
		n_doc=$((n_doc + 1))
		printf 'DIFF  %-36s %-16s documented %s (%s)\n' "$f" "$kind" "${listed_key[$f $kind]}" "$detail"
		;;
	open)
		n_open=$((n_open + 1))
		printf 'DIFF  %-36s %-16s OPEN %s (%s)\n' "$f" "$kind" "${listed_key[$f $kind]}" "$detail"
		[[ ${CORPUS_ALLOW_OPEN:-0} == 1 ]] || bad+=("$f: $kind is listed as open")
		;;
	*)
		n_bad=$((n_bad + 1))
		printf 'DIFF  %-36s %-16s NOT LISTED (%s)\n' "$f" "$kind" "$detail"
		bad+=("$f: $kind is not in DIFFERENCES ($detail)")
		;;
	esac
}

start=$SECONDS
cd "$corpus"
# One namespace for the whole run; each file's links are added to it when
# first named (a file's links must all be in its header: the namespace
# never has a link no header names, so a file naming a missing link still
# sees it missing, as 60-error-missing-interface.conf checks).
ns_create c
made=
n_links=0
idx=0
for f in [0-9]*.conf; do
	# shellcheck disable=SC2053 # CORPUS_ONLY is a glob on purpose
	[[ -n ${CORPUS_ONLY:-} && $f != ${CORPUS_ONLY} ]] && continue
	idx=$((idx + 1))
	n_files=$((n_files + 1))
	main=$f
	[[ $(head -n 1 "$f") == "# SPDX-License-Identifier: GPL-2.0-or-later" ]] ||
		fail "$f does not start with the SPDX line"
	sed -n 2p "$f" | grep -q '^# Covers: ' || fail "$f: line 2 is not '# Covers: ...'"
	ifaces=$(sed -n 's/^# interfaces: *//p' "$f")
	[[ -n $ifaces ]] || fail "$f has no '# interfaces:' header line"
	read -r -a args <<<"$(sed -n 's/^# args: *//p' "$f")"

	for i in $ifaces; do
		[[ " $made " == *" $i "* ]] && continue
		n_links=$((n_links + 1))
		nsx c ip link add "$i" type veth peer name "ikpeer$n_links" ||
			fail "$f: cannot make interface $i"
		nsx c ip link set "$i" up
		nsx c ip link set "ikpeer$n_links" up
		made+=" $i"
	done
	# The three runs are independent: in parallel (the machine may be
	# loaded, and this test runs ~250 programs).
	krc=0 vrc=0 drc=0
	nsx c keepalived -t -f "$f" "${args[@]}" >"$T/k.out" 2>&1 &
	kpid=$!
	nsx c "$VIGILD" -t -f "$f" "${args[@]}" >"$T/v.out" 2>&1 &
	vpid=$!
	"$VIGILD" --dump-config -f "$f" "${args[@]}" >"$T/dump.json" 2>"$T/dump.err" &
	dpid=$!
	wait "$kpid" || krc=$?
	wait "$vpid" || vrc=$?
	wait "$dpid" || drc=$?

	k_class "$T/k.out" "$krc"
	kv=$KV
	vv=$(v_class "$T/v.out" "$vrc")
	if [[ $vv == crashed* ]]; then
		n_bad=$((n_bad + 1))
		bad+=("$f: vigild -t $vv")
		printf 'FAIL  %-36s vigild -t %s\n' "$f" "$vv"
		sed 's/^/      /' "$T/v.out"
		continue
	fi
	compare "$kv" "$vv"
	kind=$KIND
	if [[ ${NET_VERBOSE:-0} == 1 || ($kind != agree && -z ${listed_state[$f $kind]:-}) ]]; then
		sed 's/^/      K: /' "$T/k.out"
		sed 's/^/      V: /' "$T/v.out"
	fi
	if [[ $kind == agree ]]; then
		n_agree=$((n_agree + 1))
		printf 'AGREE %-36s keepalived=%s vigild=%s\n' "$f" "$kv" "$vv"
	else
		detail="keepalived=$kv vigild=$vv"
		[[ -n $MISSING_LINES ]] && detail+=" no vigild error on $MISSING_LINES"
		note "$f" "$kind" "$detail"
	fi

	# --dump-config for every file vigild accepts, and the flag values.
	if [[ $vv != refused ]]; then
		if ((drc != 0)); then
			note "$f" dump-fails "exit $drc: $(head -c 300 "$T/dump.err")"
			continue
		fi
		want=()
		for e in "${dump_expect[@]}"; do
			[[ ${e%% *} == "$f" ]] && want+=("${e#* }")
		done
		# One python3 run per file (it is slow to start on a loaded
		# machine): the JSON must parse, then each "PATH VALUE" is read.
		wrong=$(python3 -c '
import json, sys
try:
    d = json.load(open(sys.argv[1]))
except ValueError as e:
    print("not valid JSON: %s" % e)
    sys.exit(0)
for w in sys.argv[2:]:
    path, want = w.split(" ", 1)
    v = d
    for k in path.split("."):
        if isinstance(v, list) and k.isdigit() and int(k) < len(v):
            v = v[int(k)]
        elif isinstance(v, dict) and k in v:
            v = v[k]
        else:
            v = "(missing)"
            break
    got = v if isinstance(v, str) else json.dumps(v)
    if got != want:
        print("%s=%s, keepalived: %s" % (path, got, want))
' "$T/dump.json" "${want[@]}") || fail "$f: python3 failed reading the dump"
		if [[ $wrong == "not valid JSON"* ]]; then
			note "$f" dump-fails "$wrong"
		elif [[ -n $wrong ]]; then
			note "$f" dump-value "${wrong//$'\n'/; }"
		fi
	fi
done

# A listed difference that did not occur: the list must stay true.
n_stale=0
for k in "${!listed_state[@]}"; do
	[[ -n ${seen[$k]:-} ]] && continue
	# shellcheck disable=SC2053 # CORPUS_ONLY is a glob on purpose
	[[ -n ${CORPUS_ONLY:-} && ${k%% *} != ${CORPUS_ONLY} ]] && continue
	n_stale=$((n_stale + 1))
	printf 'STALE %s: listed in DIFFERENCES (%s) but it does not occur\n' "$k" "${listed_state[$k]}"
	bad+=("$k: listed but does not occur")
done

printf 'corpus: %d files: %d agree, %d differ (documented), %d differ (open), ' \
	"$n_files" "$n_agree" "$n_doc" "$n_open"
printf '%d not listed, %d stale entries (%ds)\n' "$n_bad" "$n_stale" $((SECONDS - start))
((${#bad[@]} == 0)) || fail "$(printf '%s\n' "${bad[@]}")"
[[ -n ${CORPUS_ONLY:-} ]] || ((n_files >= 40)) ||
	fail "the corpus has $n_files files, fewer than 40"

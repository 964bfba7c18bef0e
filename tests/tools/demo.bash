# demo.bash: the lecture's scenarios (scenarios.bash) played in tmux panes,
# for a class to watch (tests/tools/demo, make demo). Sourced after harness.bash
# and scenarios.bash, it redefines the few harness functions that start,
# feed and stop processes: each background process gets a pane of its own,
# where a shell has its command typed, at the pace of a person; bg_send
# types into the pane, bg_close types Ctrl-D, bg_stop Ctrl-C. Everything
# else (the waits, the peers, the scenarios themselves) is the harness's.
# Each pane's output also goes to $OUT/NAME.out (tmux pipe-pane), where the
# scenarios' waits look for it. Callers set BIN, OUT, TMUX_SOCKET (the
# tmux server's socket), PACE
# (seconds a character) and PAUSE (seconds between steps).

tmux_demo() { # <tmux command> [args...]
	tmux -S "$TMUX_SOCKET" "$@"
}

declare -gA PANE=()

# Types text into a pane, a character at a time; a newline presses Enter.
type_into() { # <pane> <text>
	local text=$2 k c
	for ((k = 0; k < ${#text}; k++)); do
		c=${text:k:1}
		if [ "$c" = $'\n' ]; then
			tmux_demo send-keys -t "$1" Enter
		else
			tmux_demo send-keys -t "$1" -l -- "$c"
		fi
		sleep "$PACE"
	done
}

# A pane of its own for a name: the session's first pane, else a new one;
# a shell with a bare prompt, in $BIN, its output copied to $OUT/NAME.out.
pane_for() { # <name>
	if [ -n "${PANE[$1]:-}" ]; then
		return 0
	fi
	local pane
	if [ "${#PANE[@]}" -eq 0 ]; then
		pane=$(tmux_demo display-message -p -t demo '#{pane_id}')
	else
		pane=$(tmux_demo split-window -t demo -P -F '#{pane_id}' -c "$BIN")
		tmux_demo select-layout -t demo tiled >/dev/null
	fi
	PANE[$1]=$pane
	tmux_demo select-pane -t "$pane" -T "$1"
	tmux_demo pipe-pane -t "$pane" -o "cat >>'$OUT/$1.out'"
	BG_PID[$1]=$(tmux_demo display-message -p -t "$pane" '#{pane_pid}')
	sleep "$PAUSE"
}

# The command line as a person types it: ./server_3, nc -N 127.0.0.1 55555.
typed_command() { # <command> [args...]
	local word line=""
	for word in "$@"; do
		line+="${word/#"$BIN"\//./} "
	done
	echo "${line% }"
}

bg_start() { # <name> <command> [args...]
	pane_for "$1"
	type_into "${PANE[$1]}" "$(typed_command "${@:2}")"$'\n'
	sleep "$PAUSE"
}

bg_send() { # <name> <printf format> [args...]
	local text
	# shellcheck disable=SC2059
	printf -v text "${@:2}"
	type_into "${PANE[$1]}" "$text"
	sleep "$PAUSE"
}

bg_close() { # <name>
	tmux_demo send-keys -t "${PANE[$1]}" C-d
	sleep "$PAUSE"
}

# A pane's live processes, less its shell, into LIVE (the harness's count
# a process group started by setsid; a pane's session is its shell's).
count_live_in_group() { # <name>
	local i
	group_members "$1"
	LIVE=0
	for i in "${!GROUP_PID[@]}"; do
		[ "${GROUP_STATE[i]}" = Z ] || [ "${GROUP_PID[i]}" = "${BG_PID[$1]}" ] || LIVE=$((LIVE + 1))
	done
}

bg_stop() { # <name>
	[ -n "${PANE[$1]:-}" ] || return 0
	tmux_demo send-keys -t "${PANE[$1]}" C-c
	wait_live_in_group "$1" 0 || true
	sleep "$PAUSE"
}

bg_wait() { # <name>
	wait_live_in_group "$1" 0
}

# The scenario's end leaves every program running, as the lecture's
# screenshots show them; quitting the demo ends them all.
finish() {
	:
}

# A program run in the foreground: typed in its own pane, with what the
# scenario pipes into it typed once it runs; returns when it has ended.
prog() { # <program> [args...]
	local input=""
	[ -t 0 ] || input=$(cat; echo .)
	input=${input%.}
	pane_for "$1"
	type_into "${PANE[$1]}" "$(typed_command ./"$1" "${@:2}")"$'\n'
	if [ -n "$input" ]; then
		wait_live_in_group "$1" 1 || true
		sleep "$PAUSE"
		type_into "${PANE[$1]}" "$input"
	fi
	wait_live_in_group "$1" 0 || true
	sleep "$PAUSE"
}

# demo.bash: a program's lecture scenario (tests/scenarios/NAME/lecture.steps,
# run by the one executor, tests/lib/steps.bash) played in tmux panes, for a
# class to watch (tests/tools/demo, make demo). Sourced after the library, it
# redefines the few functions that start, feed and stop processes: each
# background process gets a pane of its own, where a shell has its command
# typed at the pace of a person; a line for its stdin is typed into the
# pane, EOF is Ctrl-D. Everything else (the steps, the waits until all has
# settled) is the executor's. Each pane's output also goes to
# $OUT/PANE.out (tmux pipe-pane). Callers set BIN, OUT, TMUX_SOCKET (the
# tmux server's socket), PACE (seconds a character) and PAUSE (seconds
# after each step).

tmux_demo() { # <tmux command> [args...]
	tmux -S "$TMUX_SOCKET" "$@"
}

declare -gA PANE=() PANE_TITLE=()

# A pane's title: a run's is its program's (its runs share the pane),
# client N's is its command and N, the listening peer's "nc -l".
pane_title() { # <process name>
	case $1 in
	run*) echo "$STEP_PROGRAM" ;;
	listener) echo 'nc -l' ;;
	client*) echo "${REAL_PEER[${1#client}]:-client} ${1#client}" ;;
	*) echo "$1" ;;
	esac
}

# Types text into a pane, a character at a time; a newline presses Enter.
# Returns once the terminal has echoed it: tmux has delivered every key.
type_into() { # <name> <text>
	local pane=${PANE[$1]} text=$2 k c echoed
	echoed=$(($(pane_output_size "$1") + ${#text}))
	for ((k = 0; k < ${#text}; k++)); do
		c=${text:k:1}
		if [ "$c" = $'\n' ]; then
			tmux_demo send-keys -t "$pane" Enter
		else
			tmux_demo send-keys -t "$pane" -l -- "$c"
		fi
		[ "$PACE" = 0 ] || sleep "$PACE"
	done
	wait_until file_size_at_least "$OUT/${PANE_TITLE[$1]}.out" "$echoed"
}

pane_output_size() { # <name>
	stat -c %s "$OUT/${PANE_TITLE[$1]}.out" 2>/dev/null || echo 0
}

# A pane for a name: the session's first pane, else a new one, or the
# pane of its title; a shell with a bare prompt, in $BIN.
pane_for() { # <name>
	local title pane
	title=$(pane_title "$1")
	PANE_TITLE[$1]=$title
	pane=$(tmux_demo list-panes -t demo -F '#{pane_id} #{pane_title}' |
		awk -v title="$title" '{ id = $1; sub(/^[^ ]+ /, "") } $0 == title { print id }')
	if [ -z "$pane" ]; then
		if [ "$(tmux_demo display-message -p -t demo '#{pane_title}')" = fresh ]; then
			pane=$(tmux_demo display-message -p -t demo '#{pane_id}')
		else
			pane=$(tmux_demo split-window -t demo -P -F '#{pane_id}' -c "$BIN")
			tmux_demo select-layout -t demo tiled >/dev/null
		fi
		tmux_demo select-pane -t "$pane" -T "$title"
		: >"$OUT/$title.out"
		tmux_demo pipe-pane -t "$pane" -o "cat >>'$OUT/$title.out'"
		wait_until pane_has_prompt "$pane"
	fi
	PANE[$1]=$pane
	BG_PID[$1]=$(tmux_demo display-message -p -t "$pane" '#{pane_pid}')
}

# The pane's shell has started and waits for a command (its prompt shows).
pane_has_prompt() { # <pane>
	[[ $'\n'$(tmux_demo capture-pane -p -t "$1") == *$'\n$'* ]]
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
	type_into "$1" "$(typed_command "${@:2}")"$'\n'
}

write_hex() { # <hex> <name>
	[ -n "${PANE[$2]:-}" ] || return 0
	type_into "$2" "$(printf "$(sed 's/../\\x&/g' <<<"$1")")"$'\n'
}

bg_close() { # <name>
	tmux_demo send-keys -t "${PANE[$1]}" C-d
}

# After each step, the executor's wait until all has settled, then a pause
# for the class.
settle() {
	SETTLED_LAST=""
	wait_until is_settled
	[ "$PAUSE" = 0 ] || sleep "$PAUSE"
}

# The scenario's end leaves every program running, as the lecture's
# screenshots show them; quitting the demo ends them all.
end_steps() {
	:
}

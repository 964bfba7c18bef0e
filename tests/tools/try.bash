# try.bash: one build's side of make try (tests/tools/try). In a network
# namespace of its own (netns_call run_in try_session), it starts the program
# and its peers, then carries out the commands it reads from a FIFO, one a
# line, the same commands for both builds:
#   send NAME FORMAT   bytes, as printf's format, to NAME's stdin (a client's,
#                      or the program's: NAME = server)
#   open NAME          a client connected to the server, from the next port
#   close NAME         EOF on NAME's stdin (a client then shuts down its side)
#   reset NAME         the client ends its connection with a reset (RST)
#   run                runs a program that has ended once more
#   quit
# The program's output goes to $OUT/server.out, each peer's to $OUT/NAME.out;
# $OUT/shown lists their names, the program first; after each command,
# $OUT/done holds how many commands are done.

# By the program's kind (tests/programs): servers get a client (A) at once;
# typed lines go to the client, or to the program's stdin where it reads
# the keyboard.
is_server() { [ "${PROGRAM_KIND[$1]}" = server ]; } # <program>
reads_keyboard() { [ "${PROGRAM_STDIN[$1]}" = reads ]; } # <program>

# Where typed lines go first: A (the first client), server (the program's
# stdin), or nowhere (the programs that only run and end).
try_first_target() { # <program>
	if reads_keyboard "$1"; then
		echo server
	elif is_server "$1"; then
		echo A
	fi
}

# Each client calls from a port of its own, the same in both namespaces, so
# that a server that prints its client's port prints the same in both.
TRY_PORT=40000

# A client on this port is connected (01), or was and the server has
# closed its side (08, close-wait): no longer calling.
is_connected_from() { # <port>
	count_tcp 01 local "$1"
	((TCP_COUNT > 0)) && return
	count_tcp 08 local "$1"
	((TCP_COUNT > 0))
}

try_open() { # <name>
	TRY_PORT=$((TRY_PORT + 1))
	socat_client "$1" "$TRY_PORT"
	echo "$1" >>"$OUT/shown"
	wait_until is_connected_from "$TRY_PORT" || true
}

# Runs the program (again): in the background where it reads its stdin,
# else in the foreground, its output added to server.out.
try_run() {
	if reads_keyboard "$TRY_PROGRAM"; then
		bg_stop server
		rm -f "$OUT/server.in"
		bg_prog server "$TRY_PROGRAM"
	else
		prog "$TRY_PROGRAM" >>"$OUT/server.out" 2>&1 || true
	fi
}

try_start() { # <program>
	TRY_PROGRAM=$1
	echo server >"$OUT/shown"
	: >"$OUT/server.out"
	case $1 in
	client_2 | client_connect)
		nc_server peer -k
		echo peer >>"$OUT/shown"
		try_run
		;;
	*)
		if is_server "$1"; then
			start_server "$1"
			try_open A
		else
			try_run
		fi
		;;
	esac
}

try_session() { # <program> <command FIFO>
	local line verb name done=0
	try_start "$1"
	echo "$done" >"$OUT/done"
	while IFS= read -r line; do
		verb=${line%% *}
		name=${line#"$verb"}
		name=${name# }
		name=${name%% *}
		case $verb in
		send) bg_send "$name" "${line#send "$name" }" 2>/dev/null || true ;;
		open) try_open "$name" ;;
		close) bg_close "$name" ;;
		reset) reset_client "$name" ;;
		run) try_run ;;
		quit) break ;;
		esac
		done=$((done + 1))
		echo "$done" >"$OUT/done.new"
		mv "$OUT/done.new" "$OUT/done"
	done <"$2"
	bg_stop_all
	rm -f "$OUT/errors"		# a wait that ran out was shown; not a failure
}

# programs.bash: the program table (tests/programs) as bash sees it:
# PROGRAMS, in the table's order, and each program's kind, port, stdin and forks.

declare -ga PROGRAMS=()
declare -gA PROGRAM_KIND=() PROGRAM_PORT=() PROGRAM_STDIN=() PROGRAM_FORKS=()

read_program_table() { # <table file>
	local name kind port stdin forks
	while read -r name kind port stdin forks; do
		[[ -n $name && $name != '#'* ]] || continue
		PROGRAMS+=("$name")
		PROGRAM_KIND[$name]=$kind
		PROGRAM_PORT[$name]=$port
		PROGRAM_STDIN[$name]=$stdin
		PROGRAM_FORKS[$name]=$forks
	done <"$1"
}

read_program_table "$HARNESS_LIB/../programs"

is_program() { # <name>
	[ -n "$1" ] && [ -n "${PROGRAM_KIND[$1]:-}" ]	# (an empty key is an error)
}

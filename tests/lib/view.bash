# view.bash: how the tools show the two builds side by side: colours (on a
# terminal, unless NO_COLOR is set), columns cut to width, titled rules, and
# two files as diff -y shows them. Sourced by tests/tools/compare and tests/tools/try.

# Colour on a terminal, unless NO_COLOR is set.
if [ -t 1 ] && [ -z "${NO_COLOR:-}" ]; then
	bold=$'\e[1m' dim=$'\e[2m' red=$'\e[31m' green=$'\e[32m' cyan=$'\e[36m' off=$'\e[0m'
else
	bold='' dim='' red='' green='' cyan='' off=''
fi

paint() { # <text>: green when same, red otherwise
	case $1 in
	same*|ran) printf '%s%s%s' "$green" "$1" "$off" ;;
	*) printf '%s%s%s' "$red" "$1" "$off" ;;
	esac
}

fit() { # <width> <text>: cut or pad to exactly width characters
	local text=$2
	if [ "${#text}" -gt "$1" ]; then
		text="${text:0:$(($1 - 1))}›"
	fi
	printf '%s%*s' "$text" $(($1 - ${#text})) ''
}

rule() { # <title> <width>
	printf '%s── %s %s%s\n' "$bold" "$1" "$(printf '─%.0s' $(seq 1 $(($2 - ${#1} - 4))))" "$off"
}

# COLUMNS, else the terminal's width (this is called in $(...), where
# stdout is no terminal: ask the controlling one), else 160.
terminal_width() {
	local width=${COLUMNS:-}
	[ -n "$width" ] || width=$( (stty size </dev/tty) 2>/dev/null | cut -d ' ' -f 2) || true
	echo "${width:-160}"
}

# Two files side by side, as diff -y shows them; the rows that differ (| in
# the middle), or that only one side has (< or >), in red. Fails if any.
show_side_by_side() { # <left file> <right file> <width>
	local status=0 line
	while IFS= read -r line; do
		case ${line:$((($3 - 1) / 2)):3} in
		*'|'*|*'<'*|*'>'*) printf '%s%s%s\n' "$red" "$line" "$off"; status=1 ;;
		*) printf '%s\n' "$line" ;;
		esac
	done < <(diff -y -t -W "$3" "$1" "$2" || true)
	return "$status"
}

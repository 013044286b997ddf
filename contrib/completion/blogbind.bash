# blogbind(1) completion for bash. Installed by `make install` as
# $(PREFIX)/share/bash-completion/completions/blogbind; or source this file.
# The options are those of src/main.c (tests/install.sh checks that every
# long option of `blogbind --help` is here).

_blogbind()
{
	local cur prev opts
	COMPREPLY=()
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=
	[ "$COMP_CWORD" -gt 0 ] && prev=${COMP_WORDS[COMP_CWORD-1]}
	opts="--output --title --author --lang --cover --templates --source --media
		--pages --comments --math --no-highlight --chapters --toc-depth --series
		--since --until --category --tag --reverse --drafts --unpublished
		--no-stitch --vertical --horizontal --strict --jobs --dry-run --quiet
		--verbose --fetch-remote --cache-dir --cache-max --image-max-px --max-size --help
		--volumes --volume-size --source-links --link-notes --preview --port
		--version -o -t -a -l -j -n -q -v -h -V"

	# --option=value is completed as the value of --option
	case $cur in
	--*=*)
		prev=${cur%%=*}
		cur=${cur#*=}
		;;
	esac

	case $prev in
	--source)
		COMPREPLY=($(compgen -W "jekyll hugo hexo pelican zola eleventy markdown wordpress blogger" -- "$cur"))
		return 0
		;;
	--chapters)
		COMPREPLY=($(compgen -W "post year month category series" -- "$cur"))
		return 0
		;;
	--math)
		COMPREPLY=($(compgen -W "mathml tex" -- "$cur"))
		return 0
		;;
	--toc-depth)
		COMPREPLY=($(compgen -W "1 2 3 4 5 6" -- "$cur"))
		return 0
		;;
	--volumes)
		COMPREPLY=($(compgen -W "year month" -- "$cur"))
		return 0
		;;
	--volume-size)
		return 0
		;;
	-o|--output)
		COMPREPLY=($(compgen -f -X '!*.epub' -- "$cur") $(compgen -d -- "$cur"))
		return 0
		;;
	--cover)
		COMPREPLY=($(compgen -f -- "$cur"))
		return 0
		;;
	--templates|--media|--cache-dir)
		COMPREPLY=($(compgen -d -- "$cur"))
		return 0
		;;
	-t|--title|-a|--author|-l|--lang|--series|--since|--until|--category|--tag|-j|--jobs|--image-max-px|--max-size|--cache-max)
		return 0
		;;
	esac

	case $cur in
	-*)
		COMPREPLY=($(compgen -W "$opts" -- "$cur"))
		;;
	*)
		# BLOG: a source folder or an export file
		COMPREPLY=($(compgen -f -- "$cur"))
		;;
	esac
	return 0
}
complete -o filenames -F _blogbind blogbind

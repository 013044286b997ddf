/* replay_main.c: runs a libFuzzer target's function over the files named on
 * the command line, without libFuzzer, so a sanitizer build can replay the
 * regression inputs and the corpus anywhere. Many files run in one process,
 * as libFuzzer itself replays a folder; each file has BB_REPLAY_SECONDS
 * (default 60) of its own, and a file that takes longer ends the process
 * (SIGALRM). */
#define _XOPEN_SOURCE 700
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
main(int argc, char **argv)
{
	int i;
	const char *e = getenv("BB_REPLAY_SECONDS");
	unsigned limit = e && atoi(e) > 0 ? (unsigned)atoi(e) : 60;
	for (i = 1; i < argc; i++) {
		FILE *f = fopen(argv[i], "rb");
		unsigned char *buf = NULL;
		size_t n = 0, cap = 0, r;
		if (!f) {
			perror(argv[i]);
			return 2;
		}
		do {
			if (n == cap && !(buf = realloc(buf, cap = cap ? cap * 2 : 65536)))
				return 2;
			r = fread(buf + n, 1, cap - n, f);
			n += r;
		} while (r > 0);
		fclose(f);
		/* an exact-size copy, so a read past the end is caught */
		{
			unsigned char *exact = malloc(n ? n : 1);
			size_t k;
			for (k = 0; k < n; k++)
				exact[k] = buf[k];
			alarm(limit);
			LLVMFuzzerTestOneInput(exact, n);
			alarm(0);
			free(exact);
		}
		free(buf);
	}
	return 0;
}

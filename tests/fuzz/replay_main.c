/* replay_main.c: runs a libFuzzer target's function over the files named on
 * the command line, without libFuzzer, so a sanitizer build can replay the
 * regression inputs and the corpus anywhere. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
main(int argc, char **argv)
{
	int i;
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
			LLVMFuzzerTestOneInput(exact, n);
			free(exact);
		}
		free(buf);
	}
	return 0;
}

/* date.h: the dates blogs write (front matter, file names) and the forms an
 * EPUB needs (W3CDTF, UTC timestamps). */
#ifndef BB_DATE_H
#define BB_DATE_H

typedef struct bb_date {
	int year, mon, day;      /* mon 1..12, day 1..31 */
	int hour, min, sec;
	int tzoff;               /* minutes east of UTC */
	int has_time;
} bb_date;

/* Parses "2025-10-27", "2025-10-27 20:33:56 +0000", "2025-10-27 20:33",
 * "2025-10-27T20:33:56+09:00", "...Z", with fractions of seconds ignored
 * and one- or two-digit months and days. Returns the number of bytes read
 * (> 0) and fills *d, or 0 when s does not start with a date. With whole,
 * only a date followed by nothing but blanks is accepted. */
int bb_date_parse(const char *s, bb_date *d, int whole);

/* Seconds since 1970-01-01T00:00:00Z. */
long long bb_date_epoch(const bb_date *d);

/* The UTC date of an epoch. */
void bb_date_from_epoch(long long t, bb_date *d);

/* Writes "YYYY-MM-DD" (11 bytes with NUL) of the date as written. */
void bb_date_ymd(const bb_date *d, char out[16]);

/* Writes "YYYY-MM-DDThh:mm:ssZ" in UTC (21 bytes with NUL). */
void bb_date_w3c_utc(const bb_date *d, char out[32]);

#endif

/* date.c: parsing blog dates and writing EPUB dates. */
#include "date.h"

#include <stdio.h>
#include <string.h>

static int
S_num(const char *s, int *i, int min, int max, int *out)
{
	int n = 0, k = 0;
	while (s[*i] >= '0' && s[*i] <= '9' && k < max) {
		n = n * 10 + (s[*i] - '0');
		(*i)++;
		k++;
	}
	if (k < min)
		return 0;
	*out = n;
	return 1;
}

static int
S_days_in_month(int y, int m)
{
	static const int d[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return d[m - 1];
}

int
bb_date_parse(const char *s, bb_date *d, int whole)
{
	int i = 0, j;
	bb_date t;
	memset(&t, 0, sizeof t);
	while (s[i] == ' ' || s[i] == '\t')
		i++;
	if (!S_num(s, &i, 4, 4, &t.year) || s[i] != '-')
		return 0;
	i++;
	if (!S_num(s, &i, 1, 2, &t.mon) || s[i] != '-')
		return 0;
	i++;
	if (!S_num(s, &i, 1, 2, &t.day))
		return 0;
	if (t.year < 1 || t.mon < 1 || t.mon > 12 || t.day < 1 || t.day > S_days_in_month(t.year, t.mon))
		return 0;
	j = i;
	if ((s[j] == 'T' || s[j] == 't' || s[j] == ' ') && s[j + 1] >= '0' && s[j + 1] <= '9') {
		int k = j + 1, h, m, sec = 0;
		if (S_num(s, &k, 1, 2, &h) && s[k] == ':' && (k++, S_num(s, &k, 2, 2, &m))) {
			if (s[k] == ':') {
				k++;
				if (!S_num(s, &k, 2, 2, &sec))
					return 0;
				if (s[k] == '.' || s[k] == ',') {
					k++;
					while (s[k] >= '0' && s[k] <= '9')
						k++;
				}
			}
			if (h > 23 || m > 59 || sec > 60)
				return 0;
			t.hour = h;
			t.min = m;
			t.sec = sec > 59 ? 59 : sec;
			t.has_time = 1;
			i = k;
			/* zone: Z, +hh:mm, +hhmm, +hh, optionally after a blank; or UTC/GMT */
			k = i;
			while (s[k] == ' ')
				k++;
			if (s[k] == 'Z' || s[k] == 'z') {
				i = k + 1;
			} else if (strncmp(s + k, "UTC", 3) == 0 || strncmp(s + k, "GMT", 3) == 0) {
				i = k + 3;
			} else if (s[k] == '+' || s[k] == '-') {
				int sign = s[k] == '-' ? -1 : 1, zh, zm = 0, q = k + 1;
				if (S_num(s, &q, 2, 2, &zh)) {
					if (s[q] == ':')
						q++;
					if (!S_num(s, &q, 2, 2, &zm))
						zm = 0;
					if (zh <= 14 && zm < 60) {
						t.tzoff = sign * (zh * 60 + zm);
						i = q;
					}
				}
			}
		}
	}
	if (whole) {
		j = i;
		while (s[j] == ' ' || s[j] == '\t' || s[j] == '\r' || s[j] == '\n')
			j++;
		if (s[j])
			return 0;
	}
	*d = t;
	return i;
}

/* Howard Hinnant's days_from_civil. */
static long long
S_days(int y, int m, int d)
{
	long long era, yoe, doy, doe;
	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

long long
bb_date_epoch(const bb_date *d)
{
	return S_days(d->year, d->mon, d->day) * 86400LL + d->hour * 3600LL + d->min * 60LL + d->sec -
	       d->tzoff * 60LL;
}

void
bb_date_from_epoch(long long t, bb_date *d)
{
	long long z = (t >= 0 ? t : t - 86399) / 86400, secs = t - z * 86400;
	long long era, doe, yoe, y, doy, mp;
	memset(d, 0, sizeof *d);
	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	d->day = (int)(doy - (153 * mp + 2) / 5 + 1);
	d->mon = (int)(mp < 10 ? mp + 3 : mp - 9);
	d->year = (int)(y + (d->mon <= 2));
	d->hour = (int)(secs / 3600);
	d->min = (int)(secs / 60 % 60);
	d->sec = (int)(secs % 60);
	d->has_time = 1;
}

void
bb_date_ymd(const bb_date *d, char out[16])
{
	snprintf(out, 16, "%04d-%02d-%02d", d->year % 10000, d->mon % 100, d->day % 100);
}

void
bb_date_w3c_utc(const bb_date *d, char out[32])
{
	bb_date u;
	bb_date_from_epoch(bb_date_epoch(d), &u);
	snprintf(out, 32, "%04d-%02d-%02dT%02d:%02d:%02dZ", u.year % 10000, u.mon % 100, u.day % 100,
		 u.hour % 100, u.min % 100, u.sec % 100);
}

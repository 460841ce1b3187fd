# Replays the converted Azure traces (the usage CSV of azure_to_usage.awk, one hour of one day)
# over `days` consecutive days, so forecasts and anomaly detection have weeks of history with a
# weekly pattern and a trend. Deterministic: row r (1-based, after the header) is kept on day d
# (0-based) iff (r * 7919 + d * 104729) % 1000 < p(d), with p(d) = 20 per mille on weekdays and 8
# at weekends, plus 1 per mille for every full week since day 0 (the trend). A kept row keeps its
# time of day on its new date, and its request_id gets "-d<d>". On day `spike_day` (-1: none),
# the rows of project `spike_project` are written 20 times (request ids "-x1".."-x19" on the
# copies): that project's spend is exactly 20 times what it would have been that day.
#
# Usage: awk -F, -v dates="2023-09-15 2023-09-16 ..." -v first_weekday=4 -v spike_day=60 \
#            -v spike_project=code-assist -f replay_weeks.awk usage.csv
#   dates: the days' dates, space-separated; first_weekday: that of the first date, Monday = 0
BEGIN {
    OFS = ","
    days = split(dates, date, " ")
    if (spike_day == "") spike_day = -1
}
FNR == 1 { print; next }
{ rows[++n] = $0 }
END {
    for (d = 0; d < days; d++) {
        weekday = (first_weekday + d) % 7
        p = (weekday >= 5 ? 8 : 20) + int(d / 7)
        for (r = 1; r <= n; r++) {
            if ((r * 7919 + d * 104729) % 1000 >= p) continue
            split(rows[r], f, ",")
            f[1] = date[d + 1] substr(f[1], 11)
            copies = (d == spike_day && f[5] == spike_project) ? 20 : 1
            id = f[7] "-d" d
            for (k = 0; k < copies; k++) {
                f[7] = id (k ? "-x" k : "")
                print f[1], f[2], f[3], f[4], f[5], f[6], f[7], f[8], f[9], f[10]
            }
        }
    }
}

-- llm_cost_ops 1.3 -> 1.4.
\echo Use "ALTER EXTENSION llm_cost_ops UPDATE TO '1.4'" to load this file. \quit

---------------------------------------------------------------------------------------------
-- Forecasting and anomaly detection (issue 6)
---------------------------------------------------------------------------------------------
-- The exact forecast and robust anomaly scores of `cost-ops forecast` and `cost-ops
-- anomalies` (the same C++ core): over arrays of days (buckets) and costs, and over
-- cost_ops.usage_records by UTC day.

CREATE FUNCTION cost_ops.forecast_series(days date[], costs cost_ops.cost[], horizon integer)
    RETURNS TABLE (day date, forecast cost_ops.cost, low cost_ops.cost, high cost_ops.cost)
    AS 'MODULE_PATHNAME', 'cost_ops_forecast_series'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 30;
COMMENT ON FUNCTION cost_ops.forecast_series(date[], cost_ops.cost[], integer) IS
    'the daily forecast (and 80% interval) of the horizon days after the last of days; costs '
    'are summed per day, days between the first and last without a cost count 0; at least 14 '
    'days: seasonal Theil-Sen trend, median level, median weekday effects, exact';

CREATE FUNCTION cost_ops.forecast_backtest(days date[], costs cost_ops.cost[])
    RETURNS TABLE (held_out_days integer, method_mae cost_ops.cost, naive_mae cost_ops.cost,
                   method_wape_percent numeric, naive_wape_percent numeric)
    AS 'MODULE_PATHNAME', 'cost_ops_forecast_backtest'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 1;
COMMENT ON FUNCTION cost_ops.forecast_backtest(date[], cost_ops.cost[]) IS
    'the forecast fitted without the last 14 days against them: its mean absolute error per '
    'day and WAPE, and those of the naive forecast repeating the last fitted week (no row '
    'under 28 days)';

CREATE FUNCTION cost_ops.robust_anomalies(
        buckets bigint[], costs cost_ops.cost[], first_bucket bigint, last_bucket bigint,
        since bigint, period integer, threshold numeric, max_history integer)
    RETURNS TABLE (bucket bigint, actual cost_ops.cost, expected cost_ops.cost,
                   robust_z numeric, history_points integer)
    AS 'MODULE_PATHNAME', 'cost_ops_robust_anomalies'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cost_ops.robust_anomalies(bigint[], cost_ops.cost[], bigint, bigint, bigint,
                                              integer, numeric, integer) IS
    'the buckets since..last_bucket whose cost departs from the buckets period, 2 * period, ... '
    'before (at most max_history, at least 4): robust z = (actual - median) / (1.4826 MAD) '
    '(1.2533 mean absolute deviation when MAD is 0; NULL, any change flagged, when constant), '
    '|z| >= threshold; the series runs from first_bucket, missing buckets 0';

CREATE FUNCTION cost_ops.daily_spend(history_days integer,
                                     OUT days date[], OUT costs cost_ops.cost[])
    LANGUAGE sql STABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    AS $$
    WITH d AS (
        SELECT pg_catalog.timezone('UTC', u."timestamp")::date AS day,
               cost_ops.sum(u.total_cost) AS cost
          FROM cost_ops.usage_records AS u
         GROUP BY 1
    ), bounds AS (
        SELECT max(d.day) AS last_day,
               max(d.day) FILTER (WHERE d.cost IS NOT NULL) AS last_priced,
               min(d.day) FILTER (WHERE d.cost IS NOT NULL) AS first_priced
          FROM d
    ), ends AS (
        -- zeros on the first and last day of the window, so the series spans it as the CLI's
        SELECT pg_catalog.unnest(ARRAY[
                   greatest(b.first_priced,
                            (b.last_day OPERATOR(pg_catalog.-) $1) OPERATOR(pg_catalog.+) 1),
                   b.last_day]) AS day,
               cost_ops.cost(0) AS cost
          FROM bounds AS b
         WHERE b.last_priced IS NOT NULL
    ), w AS (
        SELECT d.day, d.cost FROM d, bounds AS b
         WHERE d.cost IS NOT NULL
           AND d.day OPERATOR(pg_catalog.>) (b.last_day OPERATOR(pg_catalog.-) $1)
        UNION ALL
        SELECT ends.day, ends.cost FROM ends
    )
    SELECT array_agg(w.day ORDER BY w.day), array_agg(w.cost ORDER BY w.day) FROM w
$$;
COMMENT ON FUNCTION cost_ops.daily_spend(integer) IS
    'the priced spend of usage_records per UTC day over the last history_days days up to the '
    'latest record''s day, as the arrays forecast_series and forecast_backtest read';

CREATE FUNCTION cost_ops.forecast(horizon integer, history_days integer DEFAULT 90)
    RETURNS TABLE (day date, forecast cost_ops.cost, low cost_ops.cost, high cost_ops.cost)
    LANGUAGE sql STABLE STRICT PARALLEL SAFE ROWS 30
    SET search_path = pg_catalog, pg_temp
    AS $$
    SELECT f.day, f.forecast, f.low, f.high
      FROM cost_ops.daily_spend($2) AS s,
           cost_ops.forecast_series(s.days, s.costs, $1) AS f
$$;
COMMENT ON FUNCTION cost_ops.forecast(integer, integer) IS
    'the daily forecast of all usage_records'' spend over the horizon days after the latest '
    'record''s day, fitted on the last history_days days (cost-ops forecast, per day)';

CREATE FUNCTION cost_ops.backtest(history_days integer DEFAULT 90)
    RETURNS TABLE (held_out_days integer, method_mae cost_ops.cost, naive_mae cost_ops.cost,
                   method_wape_percent numeric, naive_wape_percent numeric)
    LANGUAGE sql STABLE STRICT PARALLEL SAFE ROWS 1
    SET search_path = pg_catalog, pg_temp
    AS $$
    SELECT b.* FROM cost_ops.daily_spend($1) AS s, cost_ops.forecast_backtest(s.days, s.costs) AS b
$$;
COMMENT ON FUNCTION cost_ops.backtest(integer) IS
    'the backtest of cost_ops.forecast on usage_records (cost-ops forecast''s backtest columns, '
    'unrounded)';

CREATE FUNCTION cost_ops.anomalies(since date, dimension text DEFAULT 'project',
                                   threshold numeric DEFAULT 3.5, history_days integer DEFAULT 90)
    RETURNS TABLE (day date, entity text, actual cost_ops.cost, expected cost_ops.cost,
                   robust_z numeric, history_points integer)
    LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    max_history integer := greatest(history_days OPERATOR(pg_catalog./) 7, 1);
BEGIN
    IF dimension OPERATOR(pg_catalog.<>) ALL (ARRAY['provider', 'model', 'organization',
                                                    'project', 'user']) THEN
        RAISE EXCEPTION 'unknown dimension "%"', dimension
            USING ERRCODE = 'invalid_parameter_value',
                  HINT = 'Use provider, model, organization, project or user.';
    END IF;
    RETURN QUERY
    WITH d AS (
        SELECT CASE dimension WHEN 'provider' THEN u.provider WHEN 'model' THEN u.model
                    WHEN 'organization' THEN u.organization_id WHEN 'project' THEN u.project_id
                    ELSE u.user_id END AS key,
               (pg_catalog.timezone('UTC', u."timestamp")::date
                    OPERATOR(pg_catalog.-) DATE '1970-01-01')::bigint AS b,
               cost_ops.sum(u.total_cost) AS cost
          FROM cost_ops.usage_records AS u
         GROUP BY 1, 2
    ), span AS (
        SELECT (since OPERATOR(pg_catalog.-) DATE '1970-01-01')::bigint AS from_b,
               min(d.b) AS first_b, max(d.b) AS last_b
          FROM d
    ), e AS (
        SELECT coalesce(d.key, '(none)') AS key, array_agg(d.b) AS bs, array_agg(d.cost) AS cs
          FROM d
         WHERE d.cost IS NOT NULL
         GROUP BY 1
    )
    SELECT DATE '1970-01-01' OPERATOR(pg_catalog.+) a.bucket::integer, e.key, a.actual,
           a.expected, a.robust_z, a.history_points
      FROM e, span AS s,
           cost_ops.robust_anomalies(
               e.bs, e.cs,
               greatest(s.first_b, s.from_b OPERATOR(pg_catalog.-) (max_history OPERATOR(pg_catalog.*) 7)),
               s.last_b, s.from_b, 7, threshold, max_history) AS a
     WHERE s.from_b OPERATOR(pg_catalog.<=) s.last_b
     ORDER BY greatest(a.actual OPERATOR(cost_ops.-) a.expected,
                       a.expected OPERATOR(cost_ops.-) a.actual) DESC,
              abs(a.robust_z) DESC NULLS LAST, 1, 2;
END
$$;
COMMENT ON FUNCTION cost_ops.anomalies(date, text, numeric, integer) IS
    'the UTC days from since on where an entity''s (per dimension) spend departs from its own '
    'same-weekday history, largest |actual - expected| first (cost-ops anomalies for one '
    'dimension, without drivers)';

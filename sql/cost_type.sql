-- The cost type: exact input and output, errors instead of rounding, casts, arithmetic,
-- comparison and hashing, aggregates (serial and parallel).
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS llm_cost_ops CASCADE;
RESET client_min_messages;
SET search_path = public, cost_ops;

-- Text input and output: shortest exact text, no exponent, no trailing zeros.
SELECT v, v::cost_ops.cost AS cost
  FROM (VALUES ('0'), ('-0'), ('1'), ('0.005615'), ('  1.50  '), ('100'), ('+2.000'),
               ('1e-24'), ('1E3'), ('2.5e-06'), ('0.08333333333333334'),
               ('170141183460469.231731687303715884105727'),
               ('-170141183460469.231731687303715884105728')) AS t(v);

-- Never a silent rounding: more than 24 fractional digits, or out of range, is an error.
SELECT '1.0000000000000000000000001'::cost_ops.cost;
SELECT '170141183460469.231731687303715884105728'::cost_ops.cost;
SELECT '1e15'::cost_ops.cost;
SELECT 'abc'::cost_ops.cost;
SELECT ''::cost_ops.cost;
SELECT '1.5.5'::cost_ops.cost;
SELECT '1e'::cost_ops.cost;
SELECT 'NaN'::numeric::cost_ops.cost;
SELECT 'Infinity'::numeric::cost_ops.cost;
SELECT 1.00000000000000000000000001::cost_ops.cost;

-- Casts: numeric both ways (exact), integers, text.
SELECT 12.345678901234567890123456::cost_ops.cost AS from_numeric,
       '12.345678901234567890123456'::cost_ops.cost::numeric AS to_numeric,
       42::cost_ops.cost AS from_int4, 170141183460469::bigint::cost_ops.cost AS from_int8,
       '3.5'::text::cost_ops.cost AS from_text, '3.50'::cost_ops.cost::text AS to_text;
SELECT 170141183460470::bigint::cost_ops.cost;
-- Nothing converts to cost implicitly, so numeric arithmetic stays unambiguous.
SELECT 7::numeric / 2 AS numeric_div, 1.5 + 1 AS numeric_add;
SELECT '1.5'::cost_ops.cost > 1.0;
SELECT '1.5'::cost_ops.cost > '1.0', '1.5'::cost_ops.cost + '1' AS plus_literal;
CREATE TEMP TABLE assigned (c cost_ops.cost);
INSERT INTO assigned VALUES (1.25), (3), (4::bigint);
SELECT c FROM assigned;

-- Arithmetic is exact or an error.
SELECT '0.1'::cost + '0.2'::cost AS sum, '0.1'::cost - '0.3'::cost AS diff, -'1.5'::cost AS neg,
       '0.000001'::cost * 3 AS times_int4, '2.5'::cost * 4::bigint AS times_int8,
       7 * '0.5'::cost AS int_times, '2.5'::cost * 1.5 AS times_numeric,
       1.5 * '2.5'::cost AS numeric_times, '1'::cost / '3'::cost AS ratio;
SELECT '1e-24'::cost * 0.5;
SELECT '170141183460469'::cost + '1'::cost;
SELECT '-170141183460469'::cost - '2'::cost;
SELECT '100000000000000'::cost * 2;
SELECT -'-170141183460469.231731687303715884105728'::cost;
SELECT '1'::cost / 0;
SELECT '1'::cost / '0'::cost;

-- Division rounds half to even at the 24th fractional digit.
SELECT v, d, v::cost / d AS quotient
  FROM (VALUES ('1e-24', 2), ('3e-24', 2), ('5e-24', 2), ('-3e-24', 2), ('-5e-24', 2),
               ('10', 3), ('2', 3), ('-2', 3), ('1', 7)) AS t(v, d);

-- Comparison, sorting, btree and hash opclasses.
CREATE TABLE costs (id int, c cost_ops.cost);
INSERT INTO costs SELECT g, (g::numeric / 1000)::cost_ops.cost FROM generate_series(-5, 5) g;
INSERT INTO costs VALUES (100, NULL);
SELECT '1.5'::cost = '1.50'::cost AS eq, '1.5'::cost <> '1.5'::cost AS ne,
       '-1'::cost < '0'::cost AS lt, '1'::cost <= '1'::cost AS le,
       '1e-24'::cost > '0'::cost AS gt, '0'::cost >= '1e-24'::cost AS ge,
       cost_ops.cost_cmp('2', '1') AS cmp;
SELECT c FROM costs ORDER BY c DESC NULLS LAST LIMIT 4;
CREATE INDEX costs_c ON costs (c);
SET enable_seqscan = off;
EXPLAIN (COSTS OFF) SELECT id FROM costs WHERE c = '0.002';
SELECT id FROM costs WHERE c = '0.002';
SELECT id FROM costs WHERE c BETWEEN '-0.001' AND '0.001' ORDER BY id;
RESET enable_seqscan;
SELECT cost_ops.cost_hash('1.5') = cost_ops.cost_hash('1.500') AS same_hash,
       cost_ops.cost_hash_extended('1.5', 7) = cost_ops.cost_hash_extended('1.50', 7) AS same_ext;
SET enable_mergejoin = off;
SET enable_nestloop = off;
EXPLAIN (COSTS OFF) SELECT count(*) FROM costs a JOIN costs b ON a.c = b.c;
SELECT count(*) FROM costs a JOIN costs b ON a.c = b.c;
RESET enable_mergejoin;
RESET enable_nestloop;
SELECT count(DISTINCT c) FROM costs;
CREATE INDEX costs_hash ON costs USING hash (c);

-- Binary output: the int128 as two big-endian halves.
SELECT cost_ops.cost_send('1e-24'), cost_ops.cost_send('-1e-24');

-- Aggregates: exact, NULLs ignored, NULL for no rows.
SELECT sum(c), avg(c), min(c), max(c), count(c) FROM costs;
SELECT sum(c), avg(c), min(c), max(c) FROM costs WHERE false;
SELECT avg(v::cost_ops.cost) FROM (VALUES ('1'), ('1'), ('2')) AS t(v);
SELECT sum(v::cost_ops.cost) FROM (VALUES ('170141183460469'), ('1')) AS t(v);
SELECT sum(x) OVER (ORDER BY id) FROM (SELECT id, c AS x FROM costs WHERE id BETWEEN 1 AND 3) s;

-- Parallel aggregation gives the serial result.
CREATE TABLE many AS
  SELECT ((g % 1000)::numeric / 1000000 + 0.000000000000000000000001)::cost_ops.cost AS c
    FROM generate_series(1, 200000) g;
ANALYZE many;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF) SELECT sum(c), avg(c), min(c), max(c) FROM many;
SELECT sum(c), avg(c), min(c), max(c) FROM many;
RESET max_parallel_workers_per_gather;
SET max_parallel_workers_per_gather = 0;
SELECT sum(c), avg(c), min(c), max(c) FROM many;
SELECT sum(c::numeric) FROM many;
RESET max_parallel_workers_per_gather;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;

DROP TABLE costs, many;

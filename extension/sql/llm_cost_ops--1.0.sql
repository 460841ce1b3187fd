-- llm_cost_ops 1.0: exact cost type, effective-dated pricing tables, priced usage records.
\echo Use "CREATE EXTENSION llm_cost_ops CASCADE" to load this file. \quit

-- The schema must be the extension's own: CREATE EXTENSION makes it, or it was made empty by
-- the installing role. One made by another role could hold objects ours would resolve to, or
-- let its owner replace ours later.
DO $guard$
DECLARE
    schema_oid oid := (SELECT n.oid FROM pg_catalog.pg_namespace AS n
                        WHERE n.nspname OPERATOR(pg_catalog.=) 'cost_ops');
BEGIN
    IF (SELECT n.nspowner FROM pg_catalog.pg_namespace AS n
         WHERE n.oid OPERATOR(pg_catalog.=) schema_oid)
       OPERATOR(pg_catalog.<>) (SELECT r.oid FROM pg_catalog.pg_roles AS r
                                 WHERE r.rolname OPERATOR(pg_catalog.=) CURRENT_USER) THEN
        RAISE EXCEPTION 'schema cost_ops belongs to another role'
            USING ERRCODE = 'insufficient_privilege',
                  DETAIL = 'llm_cost_ops installs into a schema of its own; one owned by another '
                           'role could shadow or later replace its objects.',
                  HINT = 'Drop or rename that schema, then CREATE EXTENSION llm_cost_ops again.';
    END IF;
    IF EXISTS (SELECT 1 FROM pg_catalog.pg_class AS c
                WHERE c.relnamespace OPERATOR(pg_catalog.=) schema_oid)
       OR EXISTS (SELECT 1 FROM pg_catalog.pg_proc AS p
                   WHERE p.pronamespace OPERATOR(pg_catalog.=) schema_oid)
       OR EXISTS (SELECT 1 FROM pg_catalog.pg_type AS t
                   WHERE t.typnamespace OPERATOR(pg_catalog.=) schema_oid)
       OR EXISTS (SELECT 1 FROM pg_catalog.pg_operator AS o
                   WHERE o.oprnamespace OPERATOR(pg_catalog.=) schema_oid) THEN
        RAISE EXCEPTION 'schema cost_ops already holds objects'
            USING ERRCODE = 'duplicate_object',
                  DETAIL = 'llm_cost_ops installs into an empty schema of its own.',
                  HINT = 'Move those objects out of cost_ops (or drop it), then CREATE EXTENSION '
                         'llm_cost_ops again.';
    END IF;
END
$guard$;

---------------------------------------------------------------------------------------------
-- The cost type: a fixed-point decimal with 24 fractional digits in a 128-bit integer.
---------------------------------------------------------------------------------------------

CREATE TYPE cost_ops.cost;

CREATE FUNCTION cost_ops.cost_in(pg_catalog.cstring) RETURNS cost_ops.cost
    AS 'MODULE_PATHNAME', 'cost_ops_cost_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cost_ops.cost_out(cost_ops.cost) RETURNS pg_catalog.cstring
    AS 'MODULE_PATHNAME', 'cost_ops_cost_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cost_ops.cost_recv(pg_catalog.internal) RETURNS cost_ops.cost
    AS 'MODULE_PATHNAME', 'cost_ops_cost_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cost_ops.cost_send(cost_ops.cost) RETURNS pg_catalog.bytea
    AS 'MODULE_PATHNAME', 'cost_ops_cost_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE cost_ops.cost (
    INPUT = cost_ops.cost_in,
    OUTPUT = cost_ops.cost_out,
    RECEIVE = cost_ops.cost_recv,
    SEND = cost_ops.cost_send,
    INTERNALLENGTH = 16,
    ALIGNMENT = double,
    STORAGE = plain,
    CATEGORY = 'N'
);

COMMENT ON TYPE cost_ops.cost IS
    'exact amount of money: 24 fractional digits in a 128-bit integer, never rounded on input';
COMMENT ON FUNCTION cost_ops.cost_in(pg_catalog.cstring) IS 'text input of cost_ops.cost';
COMMENT ON FUNCTION cost_ops.cost_out(cost_ops.cost) IS 'text output of cost_ops.cost';
COMMENT ON FUNCTION cost_ops.cost_recv(pg_catalog.internal) IS 'binary input of cost_ops.cost';
COMMENT ON FUNCTION cost_ops.cost_send(cost_ops.cost) IS 'binary output of cost_ops.cost';

-- Casts ------------------------------------------------------------------------------------

CREATE FUNCTION cost_ops.cost(pg_catalog.numeric) RETURNS cost_ops.cost
    AS 'MODULE_PATHNAME', 'cost_ops_cost_from_numeric' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cost_ops.cost(pg_catalog.int8) RETURNS cost_ops.cost
    AS 'MODULE_PATHNAME', 'cost_ops_cost_from_int8' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cost_ops.cost(pg_catalog.int4) RETURNS cost_ops.cost
    AS 'MODULE_PATHNAME', 'cost_ops_cost_from_int4' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cost_ops.to_numeric(cost_ops.cost) RETURNS pg_catalog.numeric
    AS 'MODULE_PATHNAME', 'cost_ops_cost_to_numeric' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION cost_ops.cost(pg_catalog.numeric) IS
    'numeric to cost, exact; an error when the value needs more than 24 fractional digits';
COMMENT ON FUNCTION cost_ops.cost(pg_catalog.int8) IS 'bigint to cost';
COMMENT ON FUNCTION cost_ops.cost(pg_catalog.int4) IS 'integer to cost';
COMMENT ON FUNCTION cost_ops.to_numeric(cost_ops.cost) IS 'cost to numeric, exact';

-- Like money, nothing converts to cost implicitly: an implicit cast from numeric or integer
-- would make ordinary numeric arithmetic ambiguous wherever cost_ops is on the search_path.
-- Compare with literals ('0.5') or explicit casts (0.5::cost_ops.cost).
CREATE CAST (pg_catalog.numeric AS cost_ops.cost)
    WITH FUNCTION cost_ops.cost(pg_catalog.numeric) AS ASSIGNMENT;
CREATE CAST (pg_catalog.int8 AS cost_ops.cost)
    WITH FUNCTION cost_ops.cost(pg_catalog.int8) AS ASSIGNMENT;
CREATE CAST (pg_catalog.int4 AS cost_ops.cost)
    WITH FUNCTION cost_ops.cost(pg_catalog.int4) AS ASSIGNMENT;
CREATE CAST (cost_ops.cost AS pg_catalog.numeric)
    WITH FUNCTION cost_ops.to_numeric(cost_ops.cost) AS ASSIGNMENT;
CREATE CAST (pg_catalog.text AS cost_ops.cost) WITH INOUT;
CREATE CAST (cost_ops.cost AS pg_catalog.text) WITH INOUT;

-- Comparison -------------------------------------------------------------------------------

CREATE FUNCTION cost_ops.cost_eq(cost_ops.cost, cost_ops.cost) RETURNS pg_catalog.bool
    AS 'MODULE_PATHNAME', 'cost_ops_cost_eq' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION cost_ops.cost_ne(cost_ops.cost, cost_ops.cost) RETURNS pg_catalog.bool
    AS 'MODULE_PATHNAME', 'cost_ops_cost_ne' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION cost_ops.cost_lt(cost_ops.cost, cost_ops.cost) RETURNS pg_catalog.bool
    AS 'MODULE_PATHNAME', 'cost_ops_cost_lt' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION cost_ops.cost_le(cost_ops.cost, cost_ops.cost) RETURNS pg_catalog.bool
    AS 'MODULE_PATHNAME', 'cost_ops_cost_le' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION cost_ops.cost_gt(cost_ops.cost, cost_ops.cost) RETURNS pg_catalog.bool
    AS 'MODULE_PATHNAME', 'cost_ops_cost_gt' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION cost_ops.cost_ge(cost_ops.cost, cost_ops.cost) RETURNS pg_catalog.bool
    AS 'MODULE_PATHNAME', 'cost_ops_cost_ge' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION cost_ops.cost_cmp(cost_ops.cost, cost_ops.cost) RETURNS pg_catalog.int4
    AS 'MODULE_PATHNAME', 'cost_ops_cost_cmp' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE LEAKPROOF;
CREATE FUNCTION cost_ops.cost_hash(cost_ops.cost) RETURNS pg_catalog.int4
    AS 'MODULE_PATHNAME', 'cost_ops_cost_hash' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cost_ops.cost_hash_extended(cost_ops.cost, pg_catalog.int8)
    RETURNS pg_catalog.int8
    AS 'MODULE_PATHNAME', 'cost_ops_cost_hash_extended'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION cost_ops.cost_eq(cost_ops.cost, cost_ops.cost) IS 'implementation of = for cost';
COMMENT ON FUNCTION cost_ops.cost_ne(cost_ops.cost, cost_ops.cost) IS 'implementation of <> for cost';
COMMENT ON FUNCTION cost_ops.cost_lt(cost_ops.cost, cost_ops.cost) IS 'implementation of < for cost';
COMMENT ON FUNCTION cost_ops.cost_le(cost_ops.cost, cost_ops.cost) IS 'implementation of <= for cost';
COMMENT ON FUNCTION cost_ops.cost_gt(cost_ops.cost, cost_ops.cost) IS 'implementation of > for cost';
COMMENT ON FUNCTION cost_ops.cost_ge(cost_ops.cost, cost_ops.cost) IS 'implementation of >= for cost';
COMMENT ON FUNCTION cost_ops.cost_cmp(cost_ops.cost, cost_ops.cost) IS 'btree comparison of costs';
COMMENT ON FUNCTION cost_ops.cost_hash(cost_ops.cost) IS 'hash of a cost';
COMMENT ON FUNCTION cost_ops.cost_hash_extended(cost_ops.cost, pg_catalog.int8) IS
    'seeded 64-bit hash of a cost';

CREATE OPERATOR cost_ops.= (
    LEFTARG = cost_ops.cost, RIGHTARG = cost_ops.cost, FUNCTION = cost_ops.cost_eq,
    COMMUTATOR = OPERATOR(cost_ops.=), NEGATOR = OPERATOR(cost_ops.<>),
    RESTRICT = pg_catalog.eqsel, JOIN = pg_catalog.eqjoinsel, HASHES, MERGES
);
CREATE OPERATOR cost_ops.<> (
    LEFTARG = cost_ops.cost, RIGHTARG = cost_ops.cost, FUNCTION = cost_ops.cost_ne,
    COMMUTATOR = OPERATOR(cost_ops.<>), NEGATOR = OPERATOR(cost_ops.=),
    RESTRICT = pg_catalog.neqsel, JOIN = pg_catalog.neqjoinsel
);
CREATE OPERATOR cost_ops.< (
    LEFTARG = cost_ops.cost, RIGHTARG = cost_ops.cost, FUNCTION = cost_ops.cost_lt,
    COMMUTATOR = OPERATOR(cost_ops.>), NEGATOR = OPERATOR(cost_ops.>=),
    RESTRICT = pg_catalog.scalarltsel, JOIN = pg_catalog.scalarltjoinsel
);
CREATE OPERATOR cost_ops.<= (
    LEFTARG = cost_ops.cost, RIGHTARG = cost_ops.cost, FUNCTION = cost_ops.cost_le,
    COMMUTATOR = OPERATOR(cost_ops.>=), NEGATOR = OPERATOR(cost_ops.>),
    RESTRICT = pg_catalog.scalarlesel, JOIN = pg_catalog.scalarlejoinsel
);
CREATE OPERATOR cost_ops.> (
    LEFTARG = cost_ops.cost, RIGHTARG = cost_ops.cost, FUNCTION = cost_ops.cost_gt,
    COMMUTATOR = OPERATOR(cost_ops.<), NEGATOR = OPERATOR(cost_ops.<=),
    RESTRICT = pg_catalog.scalargtsel, JOIN = pg_catalog.scalargtjoinsel
);
CREATE OPERATOR cost_ops.>= (
    LEFTARG = cost_ops.cost, RIGHTARG = cost_ops.cost, FUNCTION = cost_ops.cost_ge,
    COMMUTATOR = OPERATOR(cost_ops.<=), NEGATOR = OPERATOR(cost_ops.<),
    RESTRICT = pg_catalog.scalargesel, JOIN = pg_catalog.scalargejoinsel
);

CREATE OPERATOR CLASS cost_ops.cost_btree_ops DEFAULT FOR TYPE cost_ops.cost USING btree AS
    OPERATOR 1 cost_ops.<,
    OPERATOR 2 cost_ops.<=,
    OPERATOR 3 cost_ops.=,
    OPERATOR 4 cost_ops.>=,
    OPERATOR 5 cost_ops.>,
    FUNCTION 1 cost_ops.cost_cmp(cost_ops.cost, cost_ops.cost);

CREATE OPERATOR CLASS cost_ops.cost_hash_ops DEFAULT FOR TYPE cost_ops.cost USING hash AS
    OPERATOR 1 cost_ops.=,
    FUNCTION 1 cost_ops.cost_hash(cost_ops.cost),
    FUNCTION 2 cost_ops.cost_hash_extended(cost_ops.cost, pg_catalog.int8);

-- Arithmetic: exact or an error; division rounds half to even at the 24th digit ------------

CREATE FUNCTION cost_ops.cost_add(cost_ops.cost, cost_ops.cost) RETURNS cost_ops.cost
    AS 'MODULE_PATHNAME', 'cost_ops_cost_add' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cost_ops.cost_sub(cost_ops.cost, cost_ops.cost) RETURNS cost_ops.cost
    AS 'MODULE_PATHNAME', 'cost_ops_cost_sub' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cost_ops.cost_neg(cost_ops.cost) RETURNS cost_ops.cost
    AS 'MODULE_PATHNAME', 'cost_ops_cost_neg' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cost_ops.cost_mul(cost_ops.cost, pg_catalog.int8) RETURNS cost_ops.cost
    AS 'MODULE_PATHNAME', 'cost_ops_cost_mul_int8' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cost_ops.cost_mul(pg_catalog.int8, cost_ops.cost) RETURNS cost_ops.cost
    AS 'MODULE_PATHNAME', 'cost_ops_int8_mul_cost' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cost_ops.cost_mul(cost_ops.cost, pg_catalog.int4) RETURNS cost_ops.cost
    AS 'MODULE_PATHNAME', 'cost_ops_cost_mul_int4' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cost_ops.cost_mul(pg_catalog.int4, cost_ops.cost) RETURNS cost_ops.cost
    AS 'MODULE_PATHNAME', 'cost_ops_int4_mul_cost' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cost_ops.cost_mul(cost_ops.cost, pg_catalog.numeric) RETURNS cost_ops.cost
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    AS $$ SELECT cost_ops.cost(cost_ops.to_numeric($1) OPERATOR(pg_catalog.*) $2) $$;
CREATE FUNCTION cost_ops.cost_mul(pg_catalog.numeric, cost_ops.cost) RETURNS cost_ops.cost
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    AS $$ SELECT cost_ops.cost($1 OPERATOR(pg_catalog.*) cost_ops.to_numeric($2)) $$;
CREATE FUNCTION cost_ops.cost_div(cost_ops.cost, pg_catalog.int8) RETURNS cost_ops.cost
    AS 'MODULE_PATHNAME', 'cost_ops_cost_div_int8' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cost_ops.cost_div(cost_ops.cost, pg_catalog.int4) RETURNS cost_ops.cost
    AS 'MODULE_PATHNAME', 'cost_ops_cost_div_int4' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cost_ops.cost_div(cost_ops.cost, cost_ops.cost) RETURNS pg_catalog.numeric
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    AS $$ SELECT cost_ops.to_numeric($1) OPERATOR(pg_catalog./) cost_ops.to_numeric($2) $$;

COMMENT ON FUNCTION cost_ops.cost_add(cost_ops.cost, cost_ops.cost) IS 'cost + cost, exact';
COMMENT ON FUNCTION cost_ops.cost_sub(cost_ops.cost, cost_ops.cost) IS 'cost - cost, exact';
COMMENT ON FUNCTION cost_ops.cost_neg(cost_ops.cost) IS 'negated cost';
COMMENT ON FUNCTION cost_ops.cost_mul(cost_ops.cost, pg_catalog.int8) IS 'cost * bigint, exact';
COMMENT ON FUNCTION cost_ops.cost_mul(pg_catalog.int8, cost_ops.cost) IS 'bigint * cost, exact';
COMMENT ON FUNCTION cost_ops.cost_mul(cost_ops.cost, pg_catalog.int4) IS 'cost * integer, exact';
COMMENT ON FUNCTION cost_ops.cost_mul(pg_catalog.int4, cost_ops.cost) IS 'integer * cost, exact';
COMMENT ON FUNCTION cost_ops.cost_mul(cost_ops.cost, pg_catalog.numeric) IS
    'cost * numeric: exact, an error when the product needs more than 24 fractional digits';
COMMENT ON FUNCTION cost_ops.cost_mul(pg_catalog.numeric, cost_ops.cost) IS
    'numeric * cost: exact, an error when the product needs more than 24 fractional digits';
COMMENT ON FUNCTION cost_ops.cost_div(cost_ops.cost, pg_catalog.int8) IS
    'cost / bigint, rounded half to even at the 24th fractional digit';
COMMENT ON FUNCTION cost_ops.cost_div(cost_ops.cost, pg_catalog.int4) IS
    'cost / integer, rounded half to even at the 24th fractional digit';
COMMENT ON FUNCTION cost_ops.cost_div(cost_ops.cost, cost_ops.cost) IS
    'ratio of two costs as numeric';

CREATE OPERATOR cost_ops.+ (LEFTARG = cost_ops.cost, RIGHTARG = cost_ops.cost,
    FUNCTION = cost_ops.cost_add, COMMUTATOR = OPERATOR(cost_ops.+));
CREATE OPERATOR cost_ops.- (LEFTARG = cost_ops.cost, RIGHTARG = cost_ops.cost,
    FUNCTION = cost_ops.cost_sub);
CREATE OPERATOR cost_ops.- (RIGHTARG = cost_ops.cost, FUNCTION = cost_ops.cost_neg);
CREATE OPERATOR cost_ops.* (LEFTARG = cost_ops.cost, RIGHTARG = pg_catalog.int8,
    FUNCTION = cost_ops.cost_mul, COMMUTATOR = OPERATOR(cost_ops.*));
CREATE OPERATOR cost_ops.* (LEFTARG = pg_catalog.int8, RIGHTARG = cost_ops.cost,
    FUNCTION = cost_ops.cost_mul, COMMUTATOR = OPERATOR(cost_ops.*));
CREATE OPERATOR cost_ops.* (LEFTARG = cost_ops.cost, RIGHTARG = pg_catalog.int4,
    FUNCTION = cost_ops.cost_mul, COMMUTATOR = OPERATOR(cost_ops.*));
CREATE OPERATOR cost_ops.* (LEFTARG = pg_catalog.int4, RIGHTARG = cost_ops.cost,
    FUNCTION = cost_ops.cost_mul, COMMUTATOR = OPERATOR(cost_ops.*));
CREATE OPERATOR cost_ops.* (LEFTARG = cost_ops.cost, RIGHTARG = pg_catalog.numeric,
    FUNCTION = cost_ops.cost_mul, COMMUTATOR = OPERATOR(cost_ops.*));
CREATE OPERATOR cost_ops.* (LEFTARG = pg_catalog.numeric, RIGHTARG = cost_ops.cost,
    FUNCTION = cost_ops.cost_mul, COMMUTATOR = OPERATOR(cost_ops.*));
CREATE OPERATOR cost_ops./ (LEFTARG = cost_ops.cost, RIGHTARG = pg_catalog.int8,
    FUNCTION = cost_ops.cost_div);
CREATE OPERATOR cost_ops./ (LEFTARG = cost_ops.cost, RIGHTARG = pg_catalog.int4,
    FUNCTION = cost_ops.cost_div);
CREATE OPERATOR cost_ops./ (LEFTARG = cost_ops.cost, RIGHTARG = cost_ops.cost,
    FUNCTION = cost_ops.cost_div);

-- Aggregates -------------------------------------------------------------------------------

CREATE FUNCTION cost_ops.cost_sum_accum(pg_catalog.internal, cost_ops.cost)
    RETURNS pg_catalog.internal
    AS 'MODULE_PATHNAME', 'cost_ops_cost_sum_accum' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION cost_ops.cost_sum_combine(pg_catalog.internal, pg_catalog.internal)
    RETURNS pg_catalog.internal
    AS 'MODULE_PATHNAME', 'cost_ops_cost_sum_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION cost_ops.cost_sum_serialize(pg_catalog.internal) RETURNS pg_catalog.bytea
    AS 'MODULE_PATHNAME', 'cost_ops_cost_sum_serialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cost_ops.cost_sum_deserialize(pg_catalog.bytea, pg_catalog.internal)
    RETURNS pg_catalog.internal
    AS 'MODULE_PATHNAME', 'cost_ops_cost_sum_deserialize'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cost_ops.cost_sum_final(pg_catalog.internal) RETURNS cost_ops.cost
    AS 'MODULE_PATHNAME', 'cost_ops_cost_sum_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION cost_ops.cost_avg_final(pg_catalog.internal) RETURNS cost_ops.cost
    AS 'MODULE_PATHNAME', 'cost_ops_cost_avg_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION cost_ops.cost_larger(cost_ops.cost, cost_ops.cost) RETURNS cost_ops.cost
    AS 'MODULE_PATHNAME', 'cost_ops_cost_larger' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION cost_ops.cost_smaller(cost_ops.cost, cost_ops.cost) RETURNS cost_ops.cost
    AS 'MODULE_PATHNAME', 'cost_ops_cost_smaller' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION cost_ops.cost_sum_accum(pg_catalog.internal, cost_ops.cost) IS
    'transition function of sum(cost) and avg(cost): exact 128-bit running sum';
COMMENT ON FUNCTION cost_ops.cost_sum_combine(pg_catalog.internal, pg_catalog.internal) IS
    'combines two partial sums of costs (parallel aggregation)';
COMMENT ON FUNCTION cost_ops.cost_sum_serialize(pg_catalog.internal) IS
    'serializes a partial sum of costs for a parallel worker';
COMMENT ON FUNCTION cost_ops.cost_sum_deserialize(pg_catalog.bytea, pg_catalog.internal) IS
    'deserializes a partial sum of costs from a parallel worker';
COMMENT ON FUNCTION cost_ops.cost_sum_final(pg_catalog.internal) IS 'final function of sum(cost)';
COMMENT ON FUNCTION cost_ops.cost_avg_final(pg_catalog.internal) IS
    'final function of avg(cost): rounded half to even at the 24th fractional digit';
COMMENT ON FUNCTION cost_ops.cost_larger(cost_ops.cost, cost_ops.cost) IS 'larger of two costs';
COMMENT ON FUNCTION cost_ops.cost_smaller(cost_ops.cost, cost_ops.cost) IS 'smaller of two costs';

CREATE AGGREGATE cost_ops.sum(cost_ops.cost) (
    SFUNC = cost_ops.cost_sum_accum, STYPE = pg_catalog.internal, SSPACE = 32,
    FINALFUNC = cost_ops.cost_sum_final, COMBINEFUNC = cost_ops.cost_sum_combine,
    SERIALFUNC = cost_ops.cost_sum_serialize, DESERIALFUNC = cost_ops.cost_sum_deserialize,
    PARALLEL = SAFE
);
CREATE AGGREGATE cost_ops.avg(cost_ops.cost) (
    SFUNC = cost_ops.cost_sum_accum, STYPE = pg_catalog.internal, SSPACE = 32,
    FINALFUNC = cost_ops.cost_avg_final, COMBINEFUNC = cost_ops.cost_sum_combine,
    SERIALFUNC = cost_ops.cost_sum_serialize, DESERIALFUNC = cost_ops.cost_sum_deserialize,
    PARALLEL = SAFE
);
CREATE AGGREGATE cost_ops.min(cost_ops.cost) (
    SFUNC = cost_ops.cost_smaller, STYPE = cost_ops.cost, COMBINEFUNC = cost_ops.cost_smaller,
    SORTOP = OPERATOR(cost_ops.<), PARALLEL = SAFE
);
CREATE AGGREGATE cost_ops.max(cost_ops.cost) (
    SFUNC = cost_ops.cost_larger, STYPE = cost_ops.cost, COMBINEFUNC = cost_ops.cost_larger,
    SORTOP = OPERATOR(cost_ops.>), PARALLEL = SAFE
);

COMMENT ON AGGREGATE cost_ops.sum(cost_ops.cost) IS 'exact sum of costs';
COMMENT ON AGGREGATE cost_ops.avg(cost_ops.cost) IS
    'mean of costs, rounded half to even at the 24th fractional digit';
COMMENT ON AGGREGATE cost_ops.min(cost_ops.cost) IS 'smallest cost';
COMMENT ON AGGREGATE cost_ops.max(cost_ops.cost) IS 'largest cost';

---------------------------------------------------------------------------------------------
-- Pricing tables
---------------------------------------------------------------------------------------------

CREATE DOMAIN cost_ops.price AS pg_catalog.numeric
    CONSTRAINT price_is_non_negative_with_at_most_18_fractional_digits
    CHECK (VALUE >= 0 AND VALUE = pg_catalog.round(VALUE, 18));
COMMENT ON DOMAIN cost_ops.price IS
    'USD per 1,000,000 tokens: exact, non-negative, at most 18 fractional digits';

CREATE FUNCTION cost_ops.pricing_structure_is_valid(pg_catalog.jsonb) RETURNS pg_catalog.bool
    AS 'MODULE_PATHNAME', 'cost_ops_pricing_structure_is_valid'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION cost_ops.pricing_structure_is_valid(pg_catalog.jsonb) IS
    'true for a pricing_structure the cost formula can use; otherwise an error saying why';

-- Identifiers (provider, model, organization...) compare byte by byte: COLLATE "C" is both the
-- right meaning for them and much faster to index than a linguistic collation.
CREATE TABLE cost_ops.pricing_tables (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    provider text COLLATE "C" NOT NULL,
    model text COLLATE "C" NOT NULL,
    effective_date timestamptz NOT NULL DEFAULT '-infinity',
    end_date timestamptz,
    input_price cost_ops.price,
    output_price cost_ops.price,
    cached_input_price cost_ops.price,
    cache_write_price cost_ops.price,
    pricing_structure jsonb NOT NULL DEFAULT '{}',
    source text NOT NULL DEFAULT 'manual',
    created_at timestamptz NOT NULL DEFAULT pg_catalog.now(),
    CONSTRAINT pricing_tables_period_is_forward CHECK (end_date IS NULL OR end_date > effective_date),
    CONSTRAINT pricing_tables_has_a_price CHECK (input_price IS NOT NULL OR output_price IS NOT NULL),
    CONSTRAINT pricing_tables_structure_is_valid
        CHECK (cost_ops.pricing_structure_is_valid(pricing_structure)),
    CONSTRAINT pricing_tables_no_overlap EXCLUDE USING gist (
        provider WITH OPERATOR(pg_catalog.=),
        model WITH OPERATOR(pg_catalog.=),
        pg_catalog.tstzrange(effective_date, end_date, '[)') WITH OPERATOR(pg_catalog.&&)
    )
);

COMMENT ON TABLE cost_ops.pricing_tables IS
    'LLM prices, effective-dated: each row is valid over [effective_date, end_date)';
COMMENT ON COLUMN cost_ops.pricing_tables.effective_date IS
    'first instant the price applies; -infinity for a price with no known start';
COMMENT ON COLUMN cost_ops.pricing_tables.end_date IS
    'first instant the price no longer applies (exclusive); NULL while it is current';
COMMENT ON COLUMN cost_ops.pricing_tables.input_price IS
    'USD per 1M uncached prompt tokens; NULL when the model does not price input';
COMMENT ON COLUMN cost_ops.pricing_tables.output_price IS
    'USD per 1M completion tokens (reasoning included); NULL when not priced';
COMMENT ON COLUMN cost_ops.pricing_tables.cached_input_price IS
    'USD per 1M cache-read prompt tokens; NULL falls back to input_price';
COMMENT ON COLUMN cost_ops.pricing_tables.cache_write_price IS
    'USD per 1M cache-write prompt tokens; NULL falls back to input_price';
COMMENT ON COLUMN cost_ops.pricing_tables.pricing_structure IS
    'what the columns do not hold: request_fee, context tiers, time-of-day prices, source data';
COMMENT ON COLUMN cost_ops.pricing_tables.source IS
    'where the row came from: manual, genai-prices, litellm';

CREATE INDEX pricing_tables_lookup ON cost_ops.pricing_tables (provider, model, effective_date);

-- Adding an open-ended price for a later date closes the open-ended row it supersedes.
CREATE FUNCTION cost_ops.close_superseded_price() RETURNS trigger
    LANGUAGE plpgsql VOLATILE
    SET search_path = pg_catalog, pg_temp
    AS $$
BEGIN
    IF NEW.end_date IS NULL THEN
        UPDATE cost_ops.pricing_tables AS p
           SET end_date = NEW.effective_date
         WHERE p.provider OPERATOR(pg_catalog.=) NEW.provider
           AND p.model OPERATOR(pg_catalog.=) NEW.model
           AND p.end_date IS NULL
           AND p.effective_date OPERATOR(pg_catalog.<) NEW.effective_date;
    END IF;
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION cost_ops.close_superseded_price() IS
    'trigger: a new open-ended price closes the open-ended row of the same model at its start';

CREATE TRIGGER close_superseded_price BEFORE INSERT ON cost_ops.pricing_tables
    FOR EACH ROW EXECUTE FUNCTION cost_ops.close_superseded_price();

-- A price that priced usage records cannot be deleted: correct it or close it instead.
CREATE FUNCTION cost_ops.refuse_deleting_used_price() RETURNS trigger
    LANGUAGE plpgsql VOLATILE
    SET search_path = pg_catalog, pg_temp
    AS $$
DECLARE
    used bigint;
BEGIN
    SELECT o.id INTO used
      FROM deleted_prices AS o
     WHERE EXISTS (SELECT 1 FROM cost_ops.usage_records AS u
                    WHERE u.pricing_id OPERATOR(pg_catalog.=) o.id)
     LIMIT 1;
    IF used IS NOT NULL THEN
        RAISE EXCEPTION 'cannot delete price row % of cost_ops.pricing_tables', used
            USING ERRCODE = 'foreign_key_violation',
                  DETAIL = 'Usage records were priced with it.',
                  HINT = 'Correct the row with UPDATE, or close it by setting end_date.';
    END IF;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION cost_ops.refuse_deleting_used_price() IS
    'trigger: refuses to delete price rows that usage records reference';

CREATE TRIGGER refuse_deleting_used_price AFTER DELETE ON cost_ops.pricing_tables
    REFERENCING OLD TABLE AS deleted_prices
    FOR EACH STATEMENT EXECUTE FUNCTION cost_ops.refuse_deleting_used_price();

CREATE FUNCTION cost_ops.pricing_tables_changed() RETURNS trigger
    AS 'MODULE_PATHNAME', 'cost_ops_pricing_tables_changed' LANGUAGE C VOLATILE;
COMMENT ON FUNCTION cost_ops.pricing_tables_changed() IS
    'trigger: tells every backend''s price cache that the pricing tables changed';

CREATE TRIGGER pricing_tables_changed
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON cost_ops.pricing_tables
    FOR EACH STATEMENT EXECUTE FUNCTION cost_ops.pricing_tables_changed();

CREATE FUNCTION cost_ops.price_for(provider text, model text, at timestamptz)
    RETURNS SETOF cost_ops.pricing_tables
    LANGUAGE sql STABLE STRICT PARALLEL SAFE ROWS 1
    SET search_path = pg_catalog, pg_temp
    AS $$
    SELECT p.*
      FROM cost_ops.pricing_tables AS p
     WHERE p.provider OPERATOR(pg_catalog.=) $1
       AND p.model OPERATOR(pg_catalog.=) $2
       AND p.effective_date OPERATOR(pg_catalog.<=) $3
       AND (p.end_date IS NULL OR $3 OPERATOR(pg_catalog.<) p.end_date)
$$;
COMMENT ON FUNCTION cost_ops.price_for(text, text, timestamptz) IS
    'the price row valid for a provider and model at an instant (none when unpriced)';

CREATE FUNCTION cost_ops.pricing_cache_status(
        OUT loaded bool, OUT price_rows bigint, OUT models bigint, OUT loads bigint,
        OUT rows_priced bigint, OUT rows_unpriced bigint)
    AS 'MODULE_PATHNAME', 'cost_ops_pricing_cache_status'
    LANGUAGE C VOLATILE STRICT PARALLEL RESTRICTED;
COMMENT ON FUNCTION cost_ops.pricing_cache_status() IS
    'this backend''s price cache (current?, size, loads) and the rows its trigger priced or not';

---------------------------------------------------------------------------------------------
-- Usage records, priced as they are inserted
---------------------------------------------------------------------------------------------

CREATE TABLE cost_ops.usage_records (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    "timestamp" timestamptz NOT NULL,
    provider text COLLATE "C" NOT NULL,
    model text COLLATE "C" NOT NULL,
    organization_id text COLLATE "C" NOT NULL,
    project_id text COLLATE "C",
    user_id text COLLATE "C",
    request_id text COLLATE "C",
    prompt_tokens bigint NOT NULL DEFAULT 0,
    completion_tokens bigint NOT NULL DEFAULT 0,
    total_tokens bigint NOT NULL,
    cached_tokens bigint NOT NULL DEFAULT 0,
    cache_write_tokens bigint NOT NULL DEFAULT 0,
    reasoning_tokens bigint NOT NULL DEFAULT 0,
    latency_ms bigint,
    input_cost cost_ops.cost,
    output_cost cost_ops.cost,
    total_cost cost_ops.cost,
    pricing_id bigint,
    metadata jsonb,
    ingested_at timestamptz NOT NULL DEFAULT pg_catalog.now(),
    CONSTRAINT usage_records_counts_are_non_negative CHECK (
        prompt_tokens >= 0 AND completion_tokens >= 0 AND cached_tokens >= 0
        AND cache_write_tokens >= 0 AND reasoning_tokens >= 0),
    CONSTRAINT usage_records_cache_within_prompt
        CHECK (cached_tokens + cache_write_tokens <= prompt_tokens),
    CONSTRAINT usage_records_reasoning_within_completion
        CHECK (reasoning_tokens <= completion_tokens),
    CONSTRAINT usage_records_total_is_prompt_plus_completion
        CHECK (total_tokens = prompt_tokens + completion_tokens),
    CONSTRAINT usage_records_priced_with_a_price_row
        CHECK ((total_cost IS NULL) = (pricing_id IS NULL)),
    CONSTRAINT usage_records_metadata_is_an_object
        CHECK (metadata IS NULL OR pg_catalog.jsonb_typeof(metadata) = 'object'),
    -- request_id first: the most selective column, so each COPY row's index insert compares
    -- one column where (provider, organization_id, ...) would compare three.
    CONSTRAINT usage_records_request_identity UNIQUE (request_id, organization_id, provider)
);

COMMENT ON TABLE cost_ops.usage_records IS
    'one row per LLM request; costs are computed by the price_usage_record trigger';
COMMENT ON COLUMN cost_ops.usage_records.prompt_tokens IS
    'all input tokens, cache reads and cache writes included';
COMMENT ON COLUMN cost_ops.usage_records.completion_tokens IS
    'all output tokens, reasoning included';
COMMENT ON COLUMN cost_ops.usage_records.total_tokens IS
    'prompt_tokens + completion_tokens (filled in when not given)';
COMMENT ON COLUMN cost_ops.usage_records.cached_tokens IS 'part of prompt_tokens read from cache';
COMMENT ON COLUMN cost_ops.usage_records.cache_write_tokens IS
    'part of prompt_tokens written to the cache';
COMMENT ON COLUMN cost_ops.usage_records.reasoning_tokens IS 'part of completion_tokens';
COMMENT ON COLUMN cost_ops.usage_records.request_id IS
    'the caller''s request id; unique per provider and organization';
COMMENT ON COLUMN cost_ops.usage_records.total_cost IS
    'input_cost + output_cost + request fee; NULL when no price was valid (unpriced, not free)';
COMMENT ON COLUMN cost_ops.usage_records.pricing_id IS
    'the cost_ops.pricing_tables row the costs were computed with';

-- BRIN: usage arrives roughly in time order, so a block-range index serves time ranges at a
-- fraction of a B-tree's cost on every inserted row.
CREATE INDEX usage_records_timestamp ON cost_ops.usage_records USING brin ("timestamp");

CREATE FUNCTION cost_ops.price_usage_record() RETURNS trigger
    AS 'MODULE_PATHNAME', 'cost_ops_price_usage_record' LANGUAGE C VOLATILE;
COMMENT ON FUNCTION cost_ops.price_usage_record() IS
    'trigger: prices a usage row from the backend''s price cache (no query per row)';

CREATE TRIGGER price_usage_record
    BEFORE INSERT OR UPDATE OF "timestamp", provider, model, prompt_tokens, completion_tokens,
        total_tokens, cached_tokens, cache_write_tokens, reasoning_tokens, input_cost,
        output_cost, total_cost, pricing_id
    ON cost_ops.usage_records
    FOR EACH ROW EXECUTE FUNCTION cost_ops.price_usage_record();

---------------------------------------------------------------------------------------------
-- Dump, privileges
---------------------------------------------------------------------------------------------

SELECT pg_catalog.pg_extension_config_dump('cost_ops.pricing_tables', '');
SELECT pg_catalog.pg_extension_config_dump('cost_ops.pricing_tables_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('cost_ops.usage_records', '');
SELECT pg_catalog.pg_extension_config_dump('cost_ops.usage_records_id_seq', '');

GRANT USAGE ON SCHEMA cost_ops TO PUBLIC;

-- Trigger functions are for the extension's own tables: the pricing trigger loads prices as
-- their owner, so attaching it to another table would let anyone read prices through it.
-- (EXECUTE on a trigger function is checked when a trigger is created, not when it fires.)
REVOKE EXECUTE ON FUNCTION cost_ops.price_usage_record() FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION cost_ops.pricing_tables_changed() FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION cost_ops.close_superseded_price() FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION cost_ops.refuse_deleting_used_price() FROM PUBLIC;

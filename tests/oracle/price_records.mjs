// An independent oracle for the extension's prices: prices every exported usage record with
// @pydantic/genai-prices (pinned in package.json) using the SAME genai-prices data.json that was
// imported into the database, and compares the costs.
//
//   node price_records.mjs RECORDS.json DATA.json
//
// RECORDS.json is the output of `cost-ops export --format json`: total_cost is an exact decimal
// string, or null when we left the record unpriced.
//
// Same data: calcPrice() prices with a module-global Provider[] that starts as the snapshot
// bundled in the package. The package's documented way to replace it is updatePrices(factory):
// the factory receives setProviderData(), which accepts a Provider[] (the shape of data.json)
// and makes it the data of every later calcPrice(), including the fallback_model_providers
// lookups (the per-call `provider` option would not: it swaps one provider only). The check
// below that every priced result's model object belongs to the data we set proves that no
// price came from the bundled snapshot.
//
// Comparison rule: a record agrees when |oracle - ours| <= max(1e-9 * |ours|, 1e-15).
// The oracle computes in binary64: the price literals are parsed with 0.5 ulp of error and each
// term count * price / 1e6 and the few sums add a few ulps more, so its honest error is below
// ~1e-15 relative; 1e-9 leaves six orders of magnitude of margin for that, yet any real pricing
// difference is far larger (one token out of a million, or a wrong last digit of a price
// literal with at most ~6 significant digits, is >= 1e-7 relative). The absolute 1e-15 USD
// covers costs at or near zero, where a relative bound means exact equality; the smallest
// non-zero cost one token can add at any price in data.json is ~1e-10 USD, so it masks nothing.
// Our exact string is converted to a double only to take the difference (0.5 ulp, negligible).
// A record we leave unpriced must be one the oracle cannot price (calcPrice returns null), and
// vice versa.
//
// Known disagreements: a record whose metadata has "oracle_expected_difference": REASON (a
// documented semantic difference, or a bug that a test names rather than hides;
// tests/oracle/make_catalog_records.mjs marks some) is
// printed as a NOTE with its reason instead of failing the run; it fails the run when it no
// longer disagrees, so that the mark cannot outlive the bug.
import { readFileSync } from 'node:fs'
import { calcPrice, updatePrices, waitForUpdate } from '@pydantic/genai-prices'

const REL_TOL = 1e-9
const ABS_TOL = 1e-15
const SHOW = 10

// Reads and parses a JSON file, naming the file on error.
function readJson(path) {
  try {
    return JSON.parse(readFileSync(path, 'utf8'))
  } catch (err) {
    throw new Error(`${path}: ${err.message}`)
  }
}

// Makes the providers of data.json the data calcPrice() uses and returns the set of model objects
// it now prices with.
async function loadPriceData(path) {
  const providers = readJson(path)
  updatePrices(({ setProviderData }) => setProviderData(providers))
  const active = await waitForUpdate()
  if (!Array.isArray(active) || active.length !== providers.length) {
    throw new Error(`genai-prices did not take the ${providers.length} providers of ${path}`)
  }
  return new Set(active.flatMap((provider) => provider.models))
}

// Parses a non-negative exact decimal string into { digits: BigInt, scale } (value = digits / 10^scale).
function parseDecimal(text) {
  const m = /^(\d+)(?:\.(\d+))?$/.exec(text)
  if (!m) throw new Error(`not an exact non-negative decimal: ${JSON.stringify(text)}`)
  const frac = m[2] ?? ''
  return { digits: BigInt(m[1] + frac), scale: frac.length }
}

// Returns the exact sum of two decimals.
function addDecimal(a, b) {
  const scale = Math.max(a.scale, b.scale)
  const up = (d) => d.digits * 10n ** BigInt(scale - d.scale)
  return { digits: up(a) + up(b), scale }
}

// Formats a decimal exactly, without trailing fractional zeros.
function formatDecimal({ digits, scale }) {
  const s = digits.toString().padStart(scale + 1, '0')
  const int = s.slice(0, s.length - scale)
  const frac = s.slice(s.length - scale).replace(/0+$/, '')
  return frac ? `${int}.${frac}` : int
}

// The genai-prices usage of one record: input_tokens is ALL input (cache reads and writes
// included) as in our prompt_tokens; reasoning is a part of output_tokens, as in our
// completion_tokens. Only units that the matched model prices take part in its price.
function usageOf(record) {
  return {
    input_tokens: record.prompt_tokens,
    cache_read_tokens: record.cached_tokens,
    cache_write_tokens: record.cache_write_tokens,
    output_tokens: record.completion_tokens,
    output_reasoning_tokens: record.reasoning_tokens,
  }
}

// Prices one record with the oracle: { result } (null when it cannot price it) or { error }.
function oraclePrice(record, models) {
  // A Date keeps milliseconds: it truncates our microseconds, which changes no comparison with
  // the whole-second boundaries of start_date and time_of_date price constraints.
  const timestamp = new Date(record.timestamp)
  if (Number.isNaN(timestamp.getTime())) return { error: `bad timestamp ${record.timestamp}` }
  try {
    const result = calcPrice(usageOf(record), record.model, { providerId: record.provider, timestamp })
    if (result && !models.has(result.model)) return { error: 'priced with data not from DATA.json' }
    return { result }
  } catch (err) {
    return { error: err.message }
  }
}

// Names a record in a disagreement line.
function describe(record, oracle) {
  const who = `${record.provider}/${record.model} ${record.request_id} @${record.timestamp}`
  const tokens = `prompt=${record.prompt_tokens} completion=${record.completion_tokens} cached=${record.cached_tokens} cache_write=${record.cache_write_tokens} reasoning=${record.reasoning_tokens}`
  const matched = oracle?.result ? ` oracle model ${oracle.result.provider.id}/${oracle.result.model.id}` : ''
  return `${who} (${tokens}, our pricing_id ${record.pricing_id})${matched}`
}

// Compares one record: { problem }, { bothUnpriced } or, when it agrees, { exact, theirs, abs, rel }.
function compareRecord(record, models) {
  const oracle = oraclePrice(record, models)
  if (oracle.error) return { problem: `${describe(record)}: oracle error: ${oracle.error}` }
  const ours = record.total_cost
  if (ours === null && oracle.result === null) return { bothUnpriced: true }
  if (ours === null) {
    return { problem: `${describe(record, oracle)}: unpriced by us, oracle ${oracle.result.total_price}` }
  }
  const exact = parseDecimal(ours)
  if (oracle.result === null) return { problem: `${describe(record)}: ours ${ours}, unpriced by the oracle` }
  const theirs = oracle.result.total_price
  const abs = Math.abs(theirs - Number(ours))
  const rel = Number(ours) === 0 ? (abs === 0 ? 0 : Infinity) : abs / Number(ours)
  if (abs > Math.max(REL_TOL * Number(ours), ABS_TOL)) {
    return { problem: `${describe(record, oracle)}: ours ${ours}, oracle ${theirs} (abs ${abs.toExponential(3)}, rel ${rel.toExponential(3)})` }
  }
  return { exact, theirs, abs, rel }
}

// Compares every record and prints the summary; returns the process exit code.
async function main([recordsPath, dataPath]) {
  if (!recordsPath || !dataPath) {
    console.error('usage: node price_records.mjs RECORDS.json DATA.json')
    return 2
  }
  const models = await loadPriceData(dataPath)
  const records = readJson(recordsPath)
  if (!Array.isArray(records)) throw new Error(`${recordsPath}: expected a JSON array of records`)

  const problems = [], notes = []
  let compared = 0, bothUnpriced = 0, maxAbs = 0, maxRel = 0, oracleTotal = 0
  let ourTotal = { digits: 0n, scale: 0 }
  for (const record of records) {
    const outcome = compareRecord(record, models)
    const expected = record.metadata?.oracle_expected_difference
    if (expected !== undefined) {
      if (outcome.problem) notes.push(`${outcome.problem} -- expected difference: ${expected}`)
      else problems.push(`${describe(record)}: marked as an expected difference (${expected}) but agrees: remove the mark`)
      continue
    }
    if (outcome.problem) {
      problems.push(outcome.problem)
    } else if (outcome.bothUnpriced) {
      bothUnpriced += 1
    } else {
      compared += 1
      ourTotal = addDecimal(ourTotal, outcome.exact)
      oracleTotal += outcome.theirs
      maxAbs = Math.max(maxAbs, outcome.abs)
      maxRel = Math.max(maxRel, outcome.rel)
    }
  }

  if (compared === 0) problems.push('no record was priced by both: nothing was compared')
  const exactTotal = formatDecimal(ourTotal)
  const totalRel = Math.abs(oracleTotal - Number(exactTotal)) / Number(exactTotal)
  console.log(`genai-prices oracle: ${records.length} records, ${compared} priced by both and compared, ${bothUnpriced} unpriced by both`)
  console.log(`max difference: abs ${maxAbs.toExponential(3)} USD, rel ${maxRel.toExponential(3)} (tolerance rel ${REL_TOL} or abs ${ABS_TOL})`)
  console.log(`total: ours ${exactTotal} (exact), oracle ${oracleTotal} (float), rel ${totalRel.toExponential(3)}`)
  if (notes.length) {
    console.log(`NOTE: ${notes.length} record(s) marked as expected differences disagree, as their marks say:`)
    for (const line of notes) console.log(`  NOTE ${line}`)
  }
  if (problems.length) {
    console.error(`${problems.length} disagreement(s); the first ${Math.min(SHOW, problems.length)}:`)
    for (const line of problems.slice(0, SHOW)) console.error(`  ${line}`)
    return 1
  }
  return 0
}

process.exitCode = await main(process.argv.slice(2))

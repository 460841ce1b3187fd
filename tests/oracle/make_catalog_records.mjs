// The synthetic usage records of tests/cli/test_genai_prices_conformance.sh, generated from the
// genai-prices data.json named on the command line, so that they follow the file: every provider
// and every model of it, every price period, tier and fee, and the names its match rules price.
// The set is deterministic: no randomness, the counts are fixed functions of a model's position
// in the file.
//
//   node make_catalog_records.mjs write DATA.json OUT.ndjson      the records; prints the coverage
//   node make_catalog_records.mjs check DATA.json EXPORTED.json   each came back with its counts
//
// The record shape and request_id are those of usage_records.mjs; project_id is the dimension:
//   model       every model twice, on its canonical name (its id, else the first name of its own
//               match clauses that both sides price as this model): without the cache at AT_A, and
//               with cache reads, cache writes and reasoning tokens at AT_B. Usage of a price
//               without output_mtok (embeddings) has no completion tokens, here and below.
//   id          the id of a model whose canonical name is another one
//   case        the canonical name in upper case (both sides match case-insensitively), when a
//               rule other than contains prices it
//   spelling:*  every other name the clauses of a provider's models price, once: an `equals` as
//               written, a `starts_with` prefix bare and continued ("gpt-4o-2024" ->
//               "gpt-4o-2024-05-13", "ft:gpt-4o-2024-" -> "ft:gpt-4o-2024-custom", else
//               "-custom"), an `ends_with` suffix after "my-", a simple `regex` with its \d filled
//               in; inside `or` lists too. A name that is a model's id is that model's record.
//   contains    per provider, its first `contains` clause inside "my-...-x"
//   profile     Bedrock cross-region inference profiles: each `contains` clause that starts with
//               a region ("us.", "global.", ...), as written and with "-v1:0"
//   fallback    every model of a fallback provider (azure -> openai, anthropic, google ->
//               anthropic), on its canonical name, reported under the provider that falls back
//   tier        prompts threshold-1, threshold, threshold+1 and twice the threshold of each
//               context tier start: uncached, half cached, half cached and a quarter written, all
//               cached; in every period of the model's price list
//   date        each start_date: 12 h, 1 s and 1 us before its 00:00 UTC, on it, 1 us and 12 h
//               after, around it in +02:00 and -05:00, without a zone and as a bare date; both
//               model shapes and one above the model's first tier start
//   time        each start_time/end_time window: 1 s and 1 us before each edge, on it, 1 us after
//               the start, 1 s after the end, the middle, and edges in +05:30, -05:00 and +09:00
//   fee         each price with requests_kcount: no tokens, one input or one output token, some
//   zero        per provider, its first model without any token
//   no-rate     per provider, its first model without an output_mtok price, with completion tokens
//
// Expected differences (metadata.oracle_expected_difference: price_records.mjs prints each as a
// NOTE, and fails the run for one that agrees). To know where the two sides differ, this file
// models their documented semantics (genai-prices: dist/index.js of the package; ours: the
// domain page ../shared/docs/usage-and-pricing.md and cli/importers/genai_prices.cpp) just far
// enough, and each reason starts with its kind:
//   contains:    genai-prices applies `contains` clauses, we never do (a substring is a guess);
//   model id:    genai-prices resolves a name only through match rules (and a compact date's
//                dashed form), never by model id; we look an exact (provider, model) up first,
//                also among a fallback provider's models;
//   no rate:     a price without output_mtok (or input_mtok): genai-prices bills those tokens at
//                0, we leave the record unpriced (unpriced is not free);
//   dated list:  a price list whose first entry has a start_date: genai-prices applies that entry
//                before the date as well, we have no price before it;
// Any other difference is a failure. Of our normalizations only dropping a region prefix is
// modelled; the others (route prefix, vendor and version of a Bedrock id, a date suffix) price
// none of the names generated here: each is priced by a rule or an id first, wrapped in
// "my-...-x" so that none applies, or a profile name they find nothing for (were that not so,
// the comparison would fail on it).
import { readFileSync } from 'node:fs'
import { checkExport, instantMicros, usageRecord, writeRecords } from './usage_records.mjs'

const ORG = 'org-oracle-catalog'
const DAY_MS = 86400000
// The instants of a model's two basic records: a year apart, at two times of day.
const AT_A = '2025-08-01T12:00:00Z'
const AT_B = '2026-10-01T20:00:00Z'
// The price keys our cost formula applies; genai-prices' other keys (audio) price no token here.
const APPLIED_KEYS = ['input_mtok', 'output_mtok', 'cache_read_mtok', 'cache_write_mtok', 'requests_kcount']

// How each side resolves a reported name (see "Expected differences" above).
const THEIRS = { name: 'theirs', contains: true, exactIds: false, regionPrefix: false }
const THEIRS_WITHOUT_CONTAINS = { name: 'theirs-without-contains', contains: false, exactIds: false, regionPrefix: false }
const OURS = { name: 'ours', contains: false, exactIds: true, regionPrefix: true }
// The Bedrock region prefixes that our normalization drops from a name no rule prices
// (normalized_spellings, extension/core/model_match.cpp): geographic ones, whose profiles cost
// the in-region price; never "global.", whose profiles data.json (and AWS) price apart.
const REGION_PREFIX = /^(us|eu|apac|us-gov|jp|au|ca)\.(.+)$/
// The prefixes of Bedrock cross-region inference profile names, "global." included.
const PROFILE_PREFIX = /^(us|eu|apac|global|us-gov|jp|au|ca)\./

// Providers by id, each with its models, their ids and its fallback providers; a memo of names resolved.
function loadCatalog(path) {
  const providers = new Map()
  for (const p of JSON.parse(readFileSync(path, 'utf8'))) {
    const ids = new Map()
    for (const m of p.models) if (!ids.has(m.id)) ids.set(m.id, m)
    providers.set(p.id, { id: p.id, models: p.models, ids, fallbacks: p.fallback_model_providers ?? [] })
  }
  return { providers, memo: new Map() }
}

const priceLists = new WeakMap()
// The price list of a model as genai-prices reads it, [{constraint?, prices}]; the same objects
// on every call, so that an entry is known by identity.
function entriesOf(model) {
  if (!priceLists.has(model)) priceLists.set(model, Array.isArray(model.prices) ? model.prices : [{ prices: model.prices }])
  return priceLists.get(model)
}

const regexes = new Map()
// A regex clause, compiled once.
function regexOf(source) {
  if (!regexes.has(source)) regexes.set(source, new RegExp(source))
  return regexes.get(source)
}

// Whether a match expression matches a lower-cased name as genai-prices' does; `contains`
// clauses only when `withContains`.
function matches(expr, name, withContains) {
  if ('or' in expr) return expr.or.some((e) => matches(e, name, withContains))
  if ('and' in expr) return expr.and.every((e) => matches(e, name, withContains))
  if ('equals' in expr) return name === expr.equals.toLowerCase()
  if ('starts_with' in expr) return name.startsWith(expr.starts_with.toLowerCase())
  if ('ends_with' in expr) return name.endsWith(expr.ends_with.toLowerCase())
  if ('contains' in expr) return withContains && name.includes(expr.contains.toLowerCase())
  if ('regex' in expr) return regexOf(expr.regex).test(name)
  return false
}

// genai-prices' second try of a name: each compact date -YYYYMMDD (before -, : or the end) dashed.
function dashCompactDates(name) {
  return name.replace(/-(20\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?=-|:|$)/g, (all, y, m, d) => {
    const date = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)))
    return date.getUTCMonth() === Number(m) - 1 && date.getUTCDate() === Number(d) ? `-${y}-${m}-${d}` : all
  })
}

// A model of `provider` for a name (by exact id first when the side does so, else the first
// matching rule), then of its fallback providers (one level, as genai-prices); null if none.
function findModel(catalog, provider, exact, lower, side, withFallbacks) {
  const model = (side.exactIds && provider.ids.get(exact)) ||
    provider.models.find((m) => m.match && matches(m.match, lower, side.contains))
  if (model) return { provider, model }
  if (!withFallbacks) return null
  for (const id of provider.fallbacks) {
    const fallback = catalog.providers.get(id)
    const found = fallback && findModel(catalog, fallback, lower, lower, side, false)
    if (found) return found
  }
  return null
}

// The {provider, model} a side prices a reported name as (with `dropped` set to the region
// prefix our normalization dropped to find it), or null; memoized.
function resolve(catalog, providerId, name, side) {
  const key = `${side.name}\x1f${providerId}\x1f${name}`
  if (!catalog.memo.has(key)) {
    const provider = catalog.providers.get(providerId)
    const lower = name.trim().toLowerCase()
    const dashed = dashCompactDates(lower)
    const region = side.regionPrefix && REGION_PREFIX.exec(name)
    const found = provider && (findModel(catalog, provider, name, lower, side, true) ??
      (dashed === lower ? null : findModel(catalog, provider, dashed, dashed, side, true)) ??
      (region && { ...resolve(catalog, providerId, region[2], side), dropped: region[1] }))
    catalog.memo.set(key, found?.model ? found : null)
  }
  return catalog.memo.get(key)
}

// Seconds after 00:00 UTC of a time-of-day constraint ("HH:MM:SS[.f]" and "Z" or an offset).
function timeOfDaySeconds(text) {
  const m = /^(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|([+-])(\d{2}):(\d{2}))$/.exec(text)
  if (!m) throw new Error(`unexpected time-of-day constraint: ${text}`)
  const local = Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]) + Number(`0.${m[4] ?? ''}`)
  const offset = m[5] === 'Z' ? 0 : (m[6] === '+' ? 1 : -1) * (Number(m[7]) * 60 + Number(m[8])) * 60
  return (local - offset + 86400) % 86400
}

// Whether an entry's constraint holds at `ms` (milliseconds since 1970, as the oracle sees time).
function holds(constraint, ms) {
  if (!constraint) return true
  if (constraint.start_date) return ms >= Date.parse(`${constraint.start_date}T00:00:00Z`)
  const second = (((ms % DAY_MS) + DAY_MS) % DAY_MS) / 1000
  const from = timeOfDaySeconds(constraint.start_time), to = timeOfDaySeconds(constraint.end_time)
  return to < from ? second >= from || second < to : second >= from && second < to
}

// The entry genai-prices prices with at `ms`: the last whose constraint holds, else the first.
function theirEntryAt(model, ms) {
  const entries = entriesOf(model)
  return [...entries].reverse().find((e) => holds(e.constraint, ms)) ?? entries[0]
}

// The entry we price with at `ms`: theirs, but a dated first entry starts the model's prices.
function ourEntryAt(model, ms) {
  const first = entriesOf(model)[0]
  if (first.constraint?.start_date && !holds(first.constraint, ms)) return null
  return theirEntryAt(model, ms)
}

// Milliseconds since 1970 of a record's instant, truncated as the oracle's Date truncates it.
function millisOf(at) {
  return Number(instantMicros(at) / 1000n)
}

// A price value for a request of `prompt` tokens: a tiered value's price of the last tier start
// the prompt exceeds, else its base.
function priceFor(value, prompt) {
  if (value === null || typeof value !== 'object') return value
  return [...value.tiers].sort((a, b) => a.start - b.start).filter((t) => prompt > t.start).pop()?.price ?? value.base
}

// Whether two entries (or nulls) price a request of `prompt` tokens alike under our formula.
function samePrices(a, b, prompt) {
  const applied = (e) => e && JSON.stringify(APPLIED_KEYS.map((k) => priceFor(e.prices[k] ?? null, prompt)))
  return applied(a) === applied(b)
}

// The price key a record's tokens need that a non-free entry lacks, if any.
function unratedKey(prices, c) {
  if (Object.keys(prices).length === 0) return undefined
  const cached = c.cached ?? 0, write = c.write ?? 0
  const input = c.prompt - cached - write > 0 || (cached > 0 && prices.cache_read_mtok === undefined) ||
    (write > 0 && prices.cache_write_mtok === undefined)
  if (input && prices.input_mtok === undefined) return 'input_mtok'
  if ((c.completion ?? 0) > 0 && prices.output_mtok === undefined) return 'output_mtok'
  return undefined
}

// Names a priced model in a reason.
function named(found) {
  return found ? `${found.provider.id}/${found.model.id}` : 'nothing'
}

// The input and output prices of an entry, for a reason.
function rates(entry) {
  return `input ${entry.prices.input_mtok}, output ${entry.prices.output_mtok}`
}

// Why genai-prices prices a name as another model than we do: each step from their resolution
// to ours (drop contains clauses, then look exact ids up first) explained; undefined otherwise.
function resolutionReason(catalog, c, theirs, ours, ms) {
  const lower = c.model.trim().toLowerCase()
  const without = resolve(catalog, c.provider, c.model, THEIRS_WITHOUT_CONTAINS)
  const entry = (found) => found && theirEntryAt(found.model, ms)
  const reasons = []
  if (!samePrices(entry(theirs), entry(without), c.prompt)) {
    reasons.push(`contains: genai-prices prices "${c.model}" as ${named(theirs)} only through that model's contains clause "${containedClause(theirs.model, c.model)}"; we never apply contains clauses (a substring is a guess: domain rules, Model resolution), and without them the name is priced as ${named(without)}`)
  }
  if (!samePrices(entry(without), ours && ourEntryAt(ours.model, ms), c.prompt)) {
    const byId = ours && (ours.model.id === c.model || (ours.provider.id !== c.provider && ours.model.id === lower))
    if (!byId) return undefined
    reasons.push(`model id: genai-prices resolves a name only through match rules, never by model id, and no rule of ${c.provider} or its fallback providers prices "${c.model}" as ${named(ours)} (whose match is ${JSON.stringify(ours.model.match)}), so it prices it as ${named(without)}; we look an exact (provider, model) up first (domain rules, Model resolution)`)
  }
  return reasons.join('; ')
}

// The contains clause of a model's match that a reported name contains, if any.
function containedClause(model, name) {
  return containsClauses(model.match).find((text) => name.toLowerCase().includes(text.toLowerCase()))
}

// The texts of a match expression's contains clauses (none without an expression).
function containsClauses(expr) {
  if (!expr) return []
  if ('or' in expr) return expr.or.flatMap(containsClauses)
  if ('and' in expr) return expr.and.flatMap(containsClauses)
  return 'contains' in expr ? [expr.contains] : []
}

// Why the oracle will disagree with us on a record, or undefined when the two must agree.
function expectedDifference(catalog, c) {
  const ms = millisOf(c.at)
  const theirs = resolve(catalog, c.provider, c.model, THEIRS)
  const ours = resolve(catalog, c.provider, c.model, OURS)
  const theirEntry = theirs && theirEntryAt(theirs.model, ms)
  const ourEntry = ours && ourEntryAt(ours.model, ms)
  if (ours && theirs?.model === ours.model && ourEntry === null) {
    return `dated list: the price list of ${named(ours)} starts with an entry dated ${entriesOf(ours.model)[0].constraint.start_date}; genai-prices applies that entry before the date too, we have no price before it (domain rules, Effective dating and Unpriced is not free)`
  }
  if (!samePrices(theirEntry, ourEntry, c.prompt)) {
    // A dropped region prefix must never change the price: no reason excuses it.
    if (ours?.dropped) return undefined
    return resolutionReason(catalog, c, theirs, ours, ms)
  }
  const key = ourEntry && unratedKey(ourEntry.prices, c)
  if (!key) return undefined
  const tokens = key === 'output_mtok' ? `${c.completion} completion tokens` : 'input tokens'
  return `no rate: ${named(ours)} has no ${key} price; genai-prices bills the record's ${tokens} at 0, we leave the record unpriced (domain rules, Unpriced is not free)`
}

// `c` with no completion tokens when the price it meets has no output_mtok (embedding usage).
function fitted(catalog, c) {
  const found = resolve(catalog, c.provider, c.model, OURS) ?? resolve(catalog, c.provider, c.model, THEIRS)
  const entry = found && (ourEntryAt(found.model, millisOf(c.at)) ?? theirEntryAt(found.model, millisOf(c.at)))
  const embedding = entry && Object.keys(entry.prices).length > 0 && entry.prices.output_mtok === undefined
  return embedding ? { ...c, completion: 0, reasoning: 0 } : c
}

// The record of `dimension` for case `c` ({provider, model, at, counts}), its counts fitted to
// the price unless `asIs`, marked with the reason of an expected difference.
function makeRecord(catalog, dimension, c, { asIs = false } = {}) {
  const shaped = asIs ? c : fitted(catalog, c)
  const reason = expectedDifference(catalog, shaped)
  return usageRecord(ORG, dimension, { ...shaped, ...(reason && { expectedDifference: reason }) })
}

// The counts of the k-th model's records: a prompt under every context tier and a completion.
function counts(k) {
  return { prompt: 1000 + ((k * 7919) % 90000), completion: 200 + ((k * 104729) % 8000) }
}

// Usage with cache reads, cache writes and reasoning tokens, of the k-th model's counts, at `at`.
function fullShape(k, at) {
  const { prompt, completion } = counts(k)
  return { prompt, completion, cached: Math.floor(prompt / 2), write: Math.floor(prompt / 5), reasoning: Math.floor(completion * 0.6), at }
}

// The k-th model's two basic shapes: no cache at AT_A, everything at AT_B.
function basicShapes(k) {
  return [{ ...counts(k), at: AT_A }, fullShape(k, AT_B)]
}

// How a starts_with prefix is continued into a full name.
function continuation(prefix) {
  if (/20\d\d$/.test(prefix)) return '-05-13'
  return /[-_.:/@]$/.test(prefix) ? 'custom' : '-custom'
}

// A name a simple regex clause matches (anchors dropped, \d filled in), else undefined.
function regexInstance(source) {
  const name = source.replace(/^\^/, '').replace(/\$$/, '')
    .replace(/\\d\{(\d+)\}/g, (all, n) => (n === '8' ? '20250101' : '1'.repeat(Number(n))))
    .replace(/\\d/g, '1').replace(/\\\./g, '.')
  return /[\\()[\]{}|*+?^$]/.test(name) ? undefined : name
}

// The names a match expression prices by its own clauses, [{kind, name}], each checked to match.
function clauseSpellings(match) {
  const out = []
  const walk = (e) => {
    if ('or' in e) e.or.forEach(walk)
    else if ('and' in e) e.and.forEach(walk)
    else if ('equals' in e) out.push({ kind: 'equals', name: e.equals })
    else if ('starts_with' in e) {
      out.push({ kind: 'starts_with', name: e.starts_with },
        { kind: 'starts_with', name: e.starts_with + continuation(e.starts_with) })
    } else if ('ends_with' in e) out.push({ kind: 'ends_with', name: `my-${e.ends_with}` })
    else if ('regex' in e) out.push({ kind: 'regex', name: regexInstance(e.regex) })
    else if ('contains' in e && !e.contains.includes('/')) out.push({ kind: 'contains', name: `my-${e.contains}-x` })
  }
  if (match) walk(match)
  return out.filter((s) => s.name && matches(match, s.name.trim().toLowerCase(), true))
}

// The name a model's basic records use: the first of its id and its own clauses' names (but
// contains) that both sides price as this model; else its id (then the records say why not).
function canonicalName(catalog, provider, model) {
  const names = [model.id, ...clauseSpellings(model.match).filter((s) => s.kind !== 'contains').map((s) => s.name)]
  return names.find((name) => resolve(catalog, provider.id, name, THEIRS)?.model === model &&
    resolve(catalog, provider.id, name, OURS)?.model === model) ?? model.id
}

// Every model in file order with its position k and canonical name.
function planOf(catalog) {
  let k = 0
  return [...catalog.providers.values()].flatMap((provider) =>
    provider.models.map((model) => ({ provider, model, k: k++, name: canonicalName(catalog, provider, model) })))
}

// The tier starts of a model, over every key of every entry, ascending.
function tierStarts(model) {
  const starts = new Set()
  for (const entry of entriesOf(model)) {
    for (const value of Object.values(entry.prices)) {
      if (value && typeof value === 'object') for (const tier of value.tiers) starts.add(tier.start)
    }
  }
  return [...starts].sort((a, b) => a - b)
}

// YYYY-MM-DD `days` after a YYYY-MM-DD day.
function addDays(day, days) {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10)
}

// HH:MM:SS of a second of the day.
function clock(seconds) {
  return new Date(Math.round(seconds * 1000)).toISOString().slice(11, 19)
}

// An instant in the UTC offset of `minutes` (whole seconds, or with milliseconds).
function isoIn(ms, minutes = 0) {
  const text = new Date(ms + minutes * 60000).toISOString().replace('.000Z', 'Z')
  if (minutes === 0) return text
  const abs = Math.abs(minutes), pad = (n) => String(n).padStart(2, '0')
  return text.replace('Z', `${minutes < 0 ? '-' : '+'}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`)
}

// The instant one microsecond before `ms`, in UTC.
function microBefore(ms) {
  return new Date(ms - 1).toISOString().replace('Z', '999Z')
}

// The instant one microsecond after `ms`, in UTC.
function microAfter(ms) {
  return new Date(ms).toISOString().replace('Z', '001Z')
}

// The start dates of a model's price list.
function startDates(model) {
  return entriesOf(model).map((e) => e.constraint?.start_date).filter(Boolean)
}

// The time windows of a model's price list, {entry, from, to} in seconds after 00:00 UTC.
function windowsOf(model) {
  return entriesOf(model).filter((e) => e.constraint?.start_time).map((entry) => ({
    entry, from: timeOfDaySeconds(entry.constraint.start_time), to: timeOfDaySeconds(entry.constraint.end_time),
  }))
}

// An instant at which each entry of a model's price list applies, as [entry, instant] pairs
// (an entry that never applies has none): days after each start date and before them all, at
// times outside and inside each window.
function periodInstants(model) {
  const dates = startDates(model)
  const days = [...dates.map((d) => addDays(d, 1)), dates.length ? addDays(dates[0], -30) : '2025-06-15']
  const times = ['20:00:00Z', '03:00:00Z', '12:00:00Z', ...windowsOf(model).map((w) => `${clock(w.from + 1)}Z`)]
  const candidates = days.flatMap((day) => times.map((time) => `${day}T${time}`))
  return entriesOf(model).flatMap((entry) => {
    const at = candidates.find((c) => theirEntryAt(model, millisOf(c)) === entry)
    return at ? [[entry, at]] : []
  })
}

// Two basic records per model on its canonical name, one on its id when that is another name,
// and one on its canonical name in upper case when a rule other than contains prices it (the
// contains records show contains).
function modelRecords(catalog, plan) {
  return plan.flatMap(({ provider, model, k, name }) => {
    const on = (dimension, model, shape) => makeRecord(catalog, dimension, { provider: provider.id, model, ...shape })
    const ruled = resolve(catalog, provider.id, name, THEIRS_WITHOUT_CONTAINS)?.model === model
    return [
      ...basicShapes(k).map((shape) => on('model', name, shape)),
      ...(name !== model.id ? [on('id', model.id, fullShape(k, AT_A))] : []),
      ...(ruled && name.toUpperCase() !== name ? [on('case', name.toUpperCase(), fullShape(k, AT_A))] : []),
    ]
  })
}

// The names of a provider's clauses that no model record uses, each once, as [kind, entry, name].
function clauseNames(plan) {
  const seen = new Set()
  return plan.flatMap((entry) => clauseSpellings(entry.model.match).flatMap(({ kind, name }) => {
    const key = `${entry.provider.id}\x1f${name}`
    if (name === entry.name || entry.provider.ids.has(name) || seen.has(key)) return []
    seen.add(key)
    return [[kind, entry, name]]
  }))
}

// One record per name the match clauses price (but contains), and per provider one with its first contains clause.
function spellingRecords(catalog, plan) {
  const containsShown = new Set()
  return clauseNames(plan).flatMap(([kind, { provider, k }, name]) => {
    if (kind === 'contains' && containsShown.has(provider.id)) return []
    if (kind === 'contains') containsShown.add(provider.id)
    const dimension = kind === 'contains' ? 'contains' : `spelling:${kind}`
    return [makeRecord(catalog, dimension, { provider: provider.id, model: name, ...fullShape(k, AT_A) })]
  })
}

// Per provider, each name of a Bedrock cross-region inference profile that a contains clause of
// its models prices ("us.anthropic.claude-sonnet-4-6", "global.anthropic.claude-opus-4-6"):
// the clause text, and with "-v1:0" when it has no version suffix.
function profileRecords(catalog, plan) {
  const seen = new Set()
  return plan.flatMap(({ provider, model, k }) => containsClauses(model.match)
    .filter((text) => PROFILE_PREFIX.test(text))
    .flatMap((text) => (/-v\d+(:\d+)?$/.test(text) ? [text] : [text, `${text}-v1:0`]))
    .filter((name) => !provider.ids.has(name) && !seen.has(`${provider.id}\x1f${name}`))
    .map((name) => {
      seen.add(`${provider.id}\x1f${name}`)
      return makeRecord(catalog, 'profile', { provider: provider.id, model: name, ...fullShape(k, AT_A) })
    }))
}

// Every model of a fallback provider, on its canonical name, under the provider that falls back to it.
function fallbackRecords(catalog, plan) {
  return [...catalog.providers.values()].flatMap((provider) => provider.fallbacks.flatMap((fallback) =>
    plan.filter((e) => e.provider.id === fallback).map(({ k, name }) =>
      makeRecord(catalog, 'fallback', { provider: provider.id, model: name, ...fullShape(k, AT_A) }))))
}

// Prompts around each tier start of a model, split between uncached input, cache reads and
// writes, in every period of its price list.
function tierRecords(catalog, plan) {
  return plan.flatMap(({ provider, model, name }) => tierStarts(model).flatMap((t) =>
    periodInstants(model).flatMap(([, at]) => [t - 1, t, t + 1, 2 * t].flatMap((prompt) => {
      const half = Math.floor(prompt / 2)
      const splits = [{}, { cached: half }, { cached: half, write: Math.floor(prompt / 4) }, { cached: prompt }]
      return splits.map((split) => makeRecord(catalog, 'tier', {
        provider: provider.id, model: name, at, prompt, completion: 3000, reasoning: 1000, ...split,
      }))
    }))))
}

// Instants around 00:00 UTC of a start date, written in several ways.
function aroundDay(day) {
  const midnight = Date.parse(`${day}T00:00:00Z`), hour = 3600000
  return [
    isoIn(midnight - DAY_MS / 2), isoIn(midnight - 1000), microBefore(midnight), isoIn(midnight),
    microAfter(midnight), isoIn(midnight + DAY_MS / 2), isoIn(midnight - hour, 120),
    isoIn(midnight, 120), isoIn(midnight + hour, -300), `${day} 00:00:00`, day,
  ]
}

// The basic shapes and one above the first tier start around each start date of a model.
function dateRecords(catalog, plan) {
  return plan.flatMap(({ provider, model, k, name }) => {
    const aboveTier = tierStarts(model).slice(0, 1).map((t) => ({ prompt: t + 1, completion: 1000, cached: Math.floor(t / 2), write: 1000 }))
    const shapes = [...basicShapes(k), ...aboveTier]
    return startDates(model).flatMap((day) => aroundDay(day).flatMap((at) =>
      shapes.map((shape) => makeRecord(catalog, 'date', { provider: provider.id, model: name, ...shape, at }))))
  })
}

// Instants on and around both edges of a daily window on the day of `dayAt`, also in other offsets.
function aroundWindow(window, dayAt) {
  const day = Date.parse(`${dayAt.slice(0, 10)}T00:00:00Z`)
  const from = day + Math.round(window.from * 1000)
  const to = day + Math.round(window.to * 1000) + (window.to < window.from ? DAY_MS : 0)
  return [
    isoIn(from - 1000), microBefore(from), isoIn(from), microAfter(from), isoIn((from + to) / 2),
    isoIn(to - 1000), microBefore(to), isoIn(to), isoIn(to + 1000), isoIn(from, 330),
    isoIn(from - 1000, -300), isoIn(to, 540),
  ]
}

// The basic shapes around the edges of each time window of a model.
function timeRecords(catalog, plan) {
  return plan.flatMap(({ provider, model, k, name }) => {
    const instants = new Map(periodInstants(model))
    return windowsOf(model).flatMap((window) => aroundWindow(window, instants.get(window.entry)).flatMap((at) =>
      basicShapes(k).map((shape) => makeRecord(catalog, 'time', { provider: provider.id, model: name, ...shape, at }))))
  })
}

// Requests with no, one and some tokens in each period of a model whose price has a request fee.
function feeRecords(catalog, plan) {
  const shapes = [{ prompt: 0 }, { prompt: 1 }, { prompt: 0, completion: 1 }, { prompt: 1500, completion: 800, reasoning: 600 }]
  return plan.flatMap(({ provider, model, name }) => periodInstants(model)
    .filter(([entry]) => entry.prices.requests_kcount !== undefined)
    .flatMap(([, at]) => shapes.map((shape) => makeRecord(catalog, 'fee', { provider: provider.id, model: name, ...shape, at }))))
}

// Per provider, its first model with no tokens at all.
function zeroRecords(catalog, plan) {
  return [...catalog.providers.values()].flatMap((provider) => plan.filter((e) => e.provider === provider).slice(0, 1)
    .map(({ name }) => makeRecord(catalog, 'zero', { provider: provider.id, model: name, prompt: 0, at: AT_A })))
}

// Per provider, its first model without an output_mtok price, with completion tokens.
function noRateRecords(catalog, plan) {
  return [...catalog.providers.values()].flatMap((provider) => plan
    .filter((e) => e.provider === provider && entriesOf(e.model).some((x) => Object.keys(x.prices).length && x.prices.output_mtok === undefined))
    .slice(0, 1)
    .map(({ k, name }) => makeRecord(catalog, 'no-rate', { provider: provider.id, model: name, ...fullShape(k, AT_A) }, { asIs: true })))
}

// Every record of the set, in a fixed order.
function allRecords(catalog) {
  const plan = planOf(catalog)
  return [modelRecords, spellingRecords, profileRecords, fallbackRecords, tierRecords, dateRecords, timeRecords,
    feeRecords, zeroRecords, noRateRecords].flatMap((make) => make(catalog, plan))
}

// Counts `key` in a tally object.
function tally(counts, key) {
  counts[key] = (counts[key] ?? 0) + 1
}

// What the records cover: providers, models, price entries and tier starts met by a record that
// both sides price alike (unmarked); marks by kind.
function coverage(catalog, records) {
  const models = new Set(), entries = new Set(), tierSides = new Set(), dimensions = {}, marks = {}
  for (const r of records) {
    tally(dimensions, r.project_id)
    const reason = r.metadata?.oracle_expected_difference
    if (reason) tally(marks, reason.slice(0, reason.indexOf(':')))
    const theirs = resolve(catalog, r.provider, r.model, THEIRS)
    if (reason || !theirs) continue
    models.add(theirs.model)
    entries.add(theirEntryAt(theirs.model, millisOf(r.timestamp)))
    for (const t of tierStarts(theirs.model)) tierSides.add(`${r.prompt_tokens - t}\x1f${t}\x1f${theirs.provider.id}/${theirs.model.id}`)
  }
  const all = [...catalog.providers.values()].flatMap((p) => p.models.map((model) => ({ provider: p, model })))
  const allEntries = all.flatMap(({ model }) => entriesOf(model))
  const kind = (e) => (e.constraint?.start_date ? 'dated' : e.constraint?.start_time ? 'window' : 'plain')
  const covered = (list, has) => `${list.filter(has).length}/${list.length}`
  const periods = ['plain', 'dated', 'window'].map((k) => `${k} ${covered(allEntries.filter((e) => kind(e) === k), (e) => entries.has(e))}`)
  const fees = covered(allEntries.filter((e) => e.prices.requests_kcount !== undefined), (e) => entries.has(e))
  const tiers = all.flatMap(({ provider, model }) => tierStarts(model).map((t) => `${t}\x1f${provider.id}/${model.id}`))
  const uncovered = all.filter(({ model }) => !models.has(model)).map(({ provider, model }) => `${provider.id}/${model.id}`)
  return [
    `${records.length} records: ${JSON.stringify(dimensions)}`,
    `providers ${new Set(records.map((r) => r.provider)).size}/${catalog.providers.size}; models priced alike by both sides ${all.length - uncovered.length}/${all.length}` +
      (uncovered.length ? ` (only in marked records: ${uncovered.join(', ')})` : ''),
    `price list entries met: ${periods.join(', ')}; with a request fee ${fees}; context tier starts met at threshold-1, threshold and threshold+1: ${covered(tiers, (t) => [-1, 0, 1].every((d) => tierSides.has(`${d}\x1f${t}`)))}`,
    `expected differences (marked): ${JSON.stringify(marks)}`,
  ]
}

// Writes the records, or checks an export of them; prints what the set covers.
function main([command, dataPath, path]) {
  if (!['write', 'check'].includes(command) || !dataPath || !path) {
    console.error('usage: node make_catalog_records.mjs write DATA.json OUT.ndjson | check DATA.json EXPORTED.json')
    process.exitCode = 2
    return
  }
  const catalog = loadCatalog(dataPath)
  const records = allRecords(catalog)
  if (command === 'write') {
    writeRecords(path, records)
    for (const line of coverage(catalog, records)) console.log(line)
  } else {
    checkExport(path, ORG, records)
  }
}

main(process.argv.slice(2))

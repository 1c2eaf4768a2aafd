#pragma once

// The SQL expressions that more than one query of the store needs, each written once. The browser's indexes
// (migration 3) are built from the same constants as the queries that seek on them: SQLite only uses an index on an
// expression when the query spells the same expression, so the two can no longer drift apart
// (tests/unit/store/tst_storequeries.cpp checks the query plans).

#include <algorithm>
#include <cstddef>
#include <string_view>

namespace evs::storesql {

// A piece of SQL text known at compile time; sql() joins pieces into one.
template<std::size_t N> struct Text {
    char chars[N] {};
    consteval Text() = default;
    consteval Text(const char (&s)[N]) { std::copy_n(s, N, chars); }
    constexpr const char* c_str() const { return chars; }
    constexpr std::string_view view() const { return { chars, N - 1 }; }
};

template<std::size_t N> consteval Text<N> piece(const char (&s)[N])
{
    return Text<N>(s);
}
template<std::size_t N> consteval Text<N> piece(const Text<N>& t)
{
    return t;
}

template<std::size_t... Ns> consteval auto join(const Text<Ns>&... parts)
{
    Text<(Ns + ... + 0) - sizeof...(Ns) + 1> out;
    char* p = out.chars;
    ((p = std::copy_n(parts.chars, Ns - 1, p)), ...);
    *p = '\0';
    return out;
}

template<class... Parts> consteval auto sql(const Parts&... parts)
{
    return join(piece(parts)...);
}

// --- Figures (docs/metrics.md) ---

// End-to-end latency in ns: to the last token, or to the end for a whole (non-streamed) response. NULL when unknown.
inline constexpr Text kLatencyNs("COALESCE(t_last_token, t_end) - t_send");
// Time to first token in ns. NULL when there was no token.
inline constexpr Text kTtftNs("t_first_token - t_send");
// A record whose timings count: it succeeded, and it was sent rather than served from the response cache.
inline constexpr Text kMeasured("error_class IS NULL AND cached = 0");
// The records of one model x benchmark pair of a run (parameters ?1 run, ?2 model, ?3 benchmark).
inline constexpr Text kPairWhere("run_id = ?1 AND model_idx = ?2 AND benchmark_idx = ?3");

// --- The results browser's sort keys: the exact expressions of its indexes (migration 3) ---

inline constexpr auto kStatusKey = sql("IFNULL(error_class, '')");
inline constexpr auto kScoreKey = sql("IFNULL(score, -1.0)");
inline constexpr auto kLatencyKey = sql("IFNULL(", kLatencyNs, ", -1)");
inline constexpr auto kTtftKey = sql("IFNULL(", kTtftNs, ", -1)");

inline constexpr Text kKeyIndex("results_key"); // the unique key: (run, model, benchmark, sample, repeat)
inline constexpr Text kBrowseBenchmarkIndex("results_browse_benchmark");
inline constexpr Text kBrowseStatusIndex("results_browse_status");
inline constexpr Text kBrowseScoreIndex("results_browse_score");
inline constexpr Text kBrowseLatencyIndex("results_browse_latency");
inline constexpr Text kBrowseTtftIndex("results_browse_ttft");

} // namespace evs::storesql

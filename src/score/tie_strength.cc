#include "rapport/score/tie_strength.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <map>

#include "rapport/core/time.h"

namespace rapport::score {

graph::Adjacency NeighbourhoodAdjacency(const graph::PairTable& table, double min_effort) {
  return graph::BuildAdjacency(table, [min_effort](const graph::PairRecord& record) {
    return record.effort[0] >= min_effort && record.effort[1] >= min_effort;
  });
}

double Embeddedness(const graph::Adjacency& neighbourhood, PersonIndex u, PersonIndex v) {
  const PersonIndex* list = neighbourhood.neighbour.data();
  return Embeddedness({list + neighbourhood.offset[u], list + neighbourhood.offset[u + 1]},
                      {list + neighbourhood.offset[v], list + neighbourhood.offset[v + 1]}, u, v);
}

double Embeddedness(std::span<const PersonIndex> of_u, std::span<const PersonIndex> of_v,
                    PersonIndex u, PersonIndex v) {
  const PersonIndex *a = of_u.data(), *a_end = a + of_u.size();
  const PersonIndex *b = of_v.data(), *b_end = b + of_v.size();
  uint64_t common = 0, either = 0;
  while (a != a_end || b != b_end) {
    PersonIndex x;
    if (b == b_end || (a != a_end && *a < *b)) {
      x = *a++;
    } else if (a == a_end || *b < *a) {
      x = *b++;
    } else {
      x = *a++;
      ++b;
      if (x != u && x != v) ++common;
    }
    if (x != u && x != v) ++either;
  }
  return either == 0 ? 0.0 : static_cast<double>(common) / static_cast<double>(either);
}

double UsualGapDays(const graph::PairRecord& record, const TieConfig& config) {
  if (record.active_days < 2) return config.single_contact_gap_days;
  double span_days = (record.last - record.first) / kSecondsPerDay;
  return std::max(config.min_usual_gap_days, span_days / (record.active_days - 1));
}

std::vector<PersonTotals> PersonTotalsOf(const graph::PairTable& table) {
  std::vector<PersonTotals> totals(table.person_count);
  // Each thread sums its own people, in table order (graph::PeopleOfThisThread).
#pragma omp parallel if (table.pairs.size() > 100000)
  {
    const graph::OwnedPeople mine = graph::PeopleOfThisThread(table.person_count);
    for (const graph::PairRecord& record : table.pairs) {
      if (mine(record.u)) totals[record.u].Add(record);
      if (mine(record.v)) totals[record.v].Add(record);
    }
  }
  return totals;
}

double Attention(const graph::PairRecord& record, double effort_u, double effort_v) {
  constexpr double kFloor = 1e-6;
  const double pair = record.raw_effort[0] + record.raw_effort[1];
  auto share = [&](double person) { return person > 0 ? std::max(kFloor, pair / person) : kFloor; };
  return 0.5 * (std::log(share(effort_u)) + std::log(share(effort_v)));
}

void AppendTopPartners(std::span<PartnerEffort> candidates, double person_effort,
                       size_t keep_at_most, std::vector<PartnerShare>& out) {
  const size_t keep = std::min(keep_at_most, candidates.size());
  auto more = [](const PartnerEffort& a, const PartnerEffort& b) {
    return a.effort != b.effort ? a.effort > b.effort : a.partner < b.partner;
  };
  std::partial_sort(candidates.begin(), candidates.begin() + static_cast<std::ptrdiff_t>(keep),
                    candidates.end(), more);
  const size_t start = out.size();
  for (size_t i = 0; i < keep; ++i) {
    out.push_back(
        {candidates[i].partner, person_effort > 0 ? candidates[i].effort / person_effort : 0.0});
  }
  std::sort(out.begin() + static_cast<std::ptrdiff_t>(start), out.end(),
            [](const PartnerShare& a, const PartnerShare& b) { return a.partner < b.partner; });
}

TopPartners TopPartnersOf(const graph::PairTable& table, const std::vector<PersonTotals>& totals,
                          size_t keep) {
  TopPartners top;
  top.offset.assign(table.person_count + 1, 0);
  if (keep == 0) return top;
  const graph::Adjacency all =
      graph::BuildAdjacency(table, [](const graph::PairRecord&) { return true; });
  const auto people = static_cast<int64_t>(table.person_count);
  for (int64_t p = 0; p < people; ++p) {
    top.offset[p + 1] =
        top.offset[p] + std::min<uint64_t>(keep, all.degree(static_cast<PersonIndex>(p)));
  }
  top.entries.resize(top.offset.back());
#pragma omp parallel if (people > 20000)
  {
    std::vector<PartnerEffort> candidates;
    std::vector<PartnerShare> chosen;
#pragma omp for schedule(dynamic, 4096)
    for (int64_t p = 0; p < people; ++p) {
      candidates.clear();
      for (uint64_t k = all.offset[p]; k < all.offset[p + 1]; ++k) {
        const graph::PairRecord& record = table.pairs[all.pair[k]];
        candidates.push_back({all.neighbour[k], record.raw_effort[0] + record.raw_effort[1]});
      }
      chosen.clear();
      AppendTopPartners(candidates, totals[p].effort, keep, chosen);
      std::copy(chosen.begin(), chosen.end(), top.entries.begin() + top.offset[p]);
    }
  }
  return top;
}

double SharedAttention(std::span<const PartnerShare> of_u, std::span<const PartnerShare> of_v,
                       PersonIndex u, PersonIndex v) {
  double shared = 0;
  auto a = of_u.begin(), b = of_v.begin();
  while (a != of_u.end() && b != of_v.end()) {
    if (a->partner < b->partner) {
      ++a;
    } else if (b->partner < a->partner) {
      ++b;
    } else {
      if (a->partner != u && a->partner != v) shared += std::min(a->share, b->share);
      ++a;
      ++b;
    }
  }
  return shared;
}

PairContext ContextOf(const graph::PairRecord& record, double embeddedness, double shared_attention,
                      const PersonTotals& u, const PersonTotals& v) {
  return {embeddedness, shared_attention, Attention(record, u.effort, v.effort),
          std::log1p(std::min(u.recent, v.recent)), std::log1p(std::max(u.recent, v.recent))};
}

FeatureVector PairFeatures(const graph::PairRecord& record, const TieConfig& config, double as_of,
                           const PairContext& context) {
  FeatureVector x{};
  const double a = record.effort[0], b = record.effort[1], total = a + b;
  x[static_cast<int>(Feature::kIntensity)] = std::log1p(total);
  x[static_cast<int>(Feature::kRecentIntensity)] = std::log1p(record.recent_effort);
  x[static_cast<int>(Feature::kReciprocity)] = total > 0 ? 2 * std::min(a, b) / total : 0;
  x[static_cast<int>(Feature::kMultiplexity)] = std::max(0, std::popcount(record.channel_mask) - 1);
  x[static_cast<int>(Feature::kDuration)] =
      std::log1p(std::max(0.0, record.last - record.first) / kSecondsPerDay);
  const double weeks_since_first =
      std::floor(as_of / kSecondsPerWeek) - std::floor(record.first / kSecondsPerWeek) + 1;
  x[static_cast<int>(Feature::kRegularity)] =
      std::min(1.0, record.active_weeks / std::max(1.0, weeks_since_first));
  const double silence_days = std::max(0.0, as_of - record.last) / kSecondsPerDay;
  x[static_cast<int>(Feature::kRecency)] = std::log1p(silence_days / UsualGapDays(record, config));
  x[static_cast<int>(Feature::kSilence)] = std::log1p(silence_days);
  x[static_cast<int>(Feature::kIntimacy)] = total > 0 ? record.private_effort / total : 0;
  x[static_cast<int>(Feature::kEmbeddedness)] = context.embeddedness;
  x[static_cast<int>(Feature::kSharedAttention)] = context.shared_attention;
  x[static_cast<int>(Feature::kServices)] = std::log1p(record.favour_effort);
  const double signed_total = total + record.negative_effort;
  x[static_cast<int>(Feature::kNegativity)] =
      signed_total > 0 ? record.negative_effort / signed_total : 0;
  x[static_cast<int>(Feature::kAttention)] = context.attention;
  x[static_cast<int>(Feature::kActivityLow)] = context.activity_low;
  x[static_cast<int>(Feature::kActivityHigh)] = context.activity_high;
  return x;
}

double FeatureContribution(const TieConfig& config, int feature, double value) {
  return config.coefficient[feature] * (value - config.center[feature]) / config.scale[feature];
}

double StrengthFromFeatures(const TieConfig& config, const FeatureVector& features) {
  double z = config.bias;
  for (int f = 0; f < kFeatureCount; ++f) z += FeatureContribution(config, f, features[f]);
  return 1.0 / (1.0 + std::exp(-z));
}

TieTable ComputeTies(const graph::PairTable& table, const TieConfig& config, double as_of,
                     bool keep_features) {
  const graph::Adjacency neighbourhood = NeighbourhoodAdjacency(table, config.neighbour_min_effort);
  const std::vector<PersonTotals> totals = PersonTotalsOf(table);
  const TopPartners top = TopPartnersOf(table, totals, static_cast<size_t>(config.top_partners));
  TieTable ties;
  const int64_t n = static_cast<int64_t>(table.pairs.size());
  if (keep_features) ties.features.resize(table.pairs.size());
  ties.strength.resize(table.pairs.size());
  // Each pair is independent; dynamic schedule because embeddedness costs the two degrees.
#pragma omp parallel for schedule(dynamic, 1024) if (n > 20000)
  for (int64_t i = 0; i < n; ++i) {
    // The second person of a pair is anywhere in the per-person arrays: their entries are
    // fetched a few pairs ahead, the offsets of their lists first, then the lists.
    if (i + 16 < n) {
      const PersonIndex ahead = table.pairs[i + 16].v;
      __builtin_prefetch(&neighbourhood.offset[ahead]);
      __builtin_prefetch(&totals[ahead]);
      if (!top.offset.empty()) __builtin_prefetch(&top.offset[ahead]);
    }
    if (i + 8 < n) {
      const PersonIndex ahead = table.pairs[i + 8].v;
      __builtin_prefetch(neighbourhood.neighbour.data() + neighbourhood.offset[ahead]);
      if (!top.offset.empty()) __builtin_prefetch(top.entries.data() + top.offset[ahead]);
    }
    const graph::PairRecord& record = table.pairs[i];
    const double embeddedness = Embeddedness(neighbourhood, record.u, record.v);
    const double shared = SharedAttention(top.Of(record.u), top.Of(record.v), record.u, record.v);
    const FeatureVector x =
        PairFeatures(record, config, as_of,
                     ContextOf(record, embeddedness, shared, totals[record.u], totals[record.v]));
    ties.strength[i] = StrengthFromFeatures(config, x);
    if (keep_features) ties.features[i] = x;
  }
  return ties;
}

TieTable ComputeTiesSerial(const graph::PairTable& table, const TieConfig& config, double as_of) {
  // The simplest possible route: neighbour sets as sorted vectors, std::set_intersection.
  std::vector<std::vector<PersonIndex>> neighbours(table.person_count);
  for (const graph::PairRecord& record : table.pairs) {
    if (record.effort[0] >= config.neighbour_min_effort &&
        record.effort[1] >= config.neighbour_min_effort) {
      neighbours[record.u].push_back(record.v);
      neighbours[record.v].push_back(record.u);
    }
  }
  for (auto& list : neighbours) std::sort(list.begin(), list.end());
  // Each person's totals summed pair by pair, independently of PersonTotalsOf.
  std::vector<double> person_effort(table.person_count, 0.0),
      person_recent(table.person_count, 0.0);
  // Each person's partners with the pair's effort, then the top config.top_partners as a map.
  std::vector<std::vector<std::pair<double, PersonIndex>>> partners(table.person_count);
  for (const graph::PairRecord& record : table.pairs) {
    const double pair_effort = record.raw_effort[0] + record.raw_effort[1];
    for (PersonIndex p : {record.u, record.v}) {
      person_effort[p] += pair_effort;
      person_recent[p] += record.recent_effort;
    }
    partners[record.u].push_back({-pair_effort, record.v});  // ascending = most effort first
    partners[record.v].push_back({-pair_effort, record.u});
  }
  std::vector<std::map<PersonIndex, double>> top(table.person_count);
  for (size_t p = 0; p < table.person_count; ++p) {
    std::sort(partners[p].begin(), partners[p].end());
    for (size_t k = 0; k < partners[p].size() && k < static_cast<size_t>(config.top_partners);
         ++k) {
      top[p][partners[p][k].second] = -partners[p][k].first / person_effort[p];
    }
  }
  TieTable ties;
  for (const graph::PairRecord& record : table.pairs) {
    std::vector<PersonIndex> a, b, common, either;
    for (PersonIndex x : neighbours[record.u]) {
      if (x != record.v) a.push_back(x);
    }
    for (PersonIndex x : neighbours[record.v]) {
      if (x != record.u) b.push_back(x);
    }
    std::set_intersection(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(common));
    std::set_union(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(either));
    double embeddedness =
        either.empty() ? 0.0
                       : static_cast<double>(common.size()) / static_cast<double>(either.size());
    const double pair_effort = record.raw_effort[0] + record.raw_effort[1];
    const double share_u = std::max(1e-6, pair_effort / person_effort[record.u]);
    const double share_v = std::max(1e-6, pair_effort / person_effort[record.v]);
    const auto [low, high] = std::minmax(person_recent[record.u], person_recent[record.v]);
    double shared = 0;
    for (const auto& [partner, share] : top[record.u]) {
      auto other = top[record.v].find(partner);
      if (other != top[record.v].end() && partner != record.u && partner != record.v) {
        shared += std::min(share, other->second);
      }
    }
    const PairContext context{embeddedness, shared, (std::log(share_u) + std::log(share_v)) / 2,
                              std::log1p(low), std::log1p(high)};
    ties.features.push_back(PairFeatures(record, config, as_of, context));
    ties.strength.push_back(StrengthFromFeatures(config, ties.features.back()));
  }
  return ties;
}

}  // namespace rapport::score

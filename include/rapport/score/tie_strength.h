// Tie strength: the features of every pair and a logistic model over them (DESIGN.md, "Tie
// strength"; docs/SCORING.md has the formulas as built).
//
//   z = bias + sum_f coefficient_f * (x_f - center_f) / scale_f,   s = 1 / (1 + e^-z)
//
// Gilbert and Karahalios (CHI 2009) separated strong from weak ties with over 85% accuracy from
// interaction features; the default coefficients are documented starting values that `fit`
// (a later issue) can re-estimate from labelled pairs.
//
// Thread-safety: pure functions. ComputeTies runs an OpenMP loop over pairs;
// ComputeTiesSerial is its serial verifier.
#pragma once

#include <array>
#include <span>
#include <vector>

#include "rapport/core/config.h"
#include "rapport/graph/pair_table.h"

namespace rapport::score {

using FeatureVector = std::array<double, kFeatureCount>;

struct TieTable {
  std::vector<FeatureVector> features;  // parallel to PairTable::pairs
  std::vector<double> strength;         // in [0, 1]
};

// The neighbourhood used for embeddedness: pairs with at least `min_effort` decayed effort each
// way (a reciprocated relationship, not a one-way like).
graph::Adjacency NeighbourhoodAdjacency(const graph::PairTable& table, double min_effort);

// Jaccard overlap of the neighbourhoods of u and v, each without the other:
// |N(u) & N(v)| / |(N(u) | N(v)) - {u, v}|, by merging the two sorted lists. 0 when both empty.
double Embeddedness(const graph::Adjacency& neighbourhood, PersonIndex u, PersonIndex v);
// The same from the two sorted neighbour lists.
double Embeddedness(std::span<const PersonIndex> of_u, std::span<const PersonIndex> of_v,
                    PersonIndex u, PersonIndex v);

// A person's totals over all their pairs, both ways: what a pair's features need to know about
// the two people's other relationships.
struct PersonTotals {
  double effort = 0;  // undecayed positive effort (attention's denominator)
  double recent = 0;  // recent effort (graph::PairRecord::recent_effort): how active they are now
  void Add(const graph::PairRecord& record) {
    effort += record.raw_effort[0] + record.raw_effort[1];
    recent += record.recent_effort;
  }
  void Add(const PersonTotals& other) {
    effort += other.effort;
    recent += other.recent;
  }
};
std::vector<PersonTotals> PersonTotalsOf(const graph::PairTable& table);

// 0.5 * (ln share_u + ln share_v), share_p = the pair's undecayed effort / p's (floored at 1e-6):
// how much of each person's attention the relationship takes.
double Attention(const graph::PairRecord& record, double effort_u, double effort_v);

// The partners who take most of a person's effort: up to `keep` (TieConfig::top_partners) of
// them, those of the person's pairs with the most undecayed effort (equal efforts: the smaller
// partner index first), each with its share of the person's effort (PersonTotals::effort), listed
// by partner index.
struct PartnerShare {
  PersonIndex partner = 0;
  double share = 0;
};
struct PartnerEffort {
  PersonIndex partner = 0;
  double effort = 0;  // the pair's undecayed effort, both ways
};
// One person's top partners from all their (partner, effort) pairs, appended to `out`; reorders
// `candidates`.
void AppendTopPartners(std::span<PartnerEffort> candidates, double person_effort, size_t keep,
                       std::vector<PartnerShare>& out);

// Every person's top partners, CSR: those of p are entries[offset[p] .. offset[p + 1]).
struct TopPartners {
  std::vector<uint64_t> offset;
  std::vector<PartnerShare> entries;
  std::span<const PartnerShare> Of(PersonIndex p) const {
    return {entries.data() + offset[p], entries.data() + offset[p + 1]};
  }
};
// With keep = 0 every list is empty (shared attention off) and nothing is computed.
TopPartners TopPartnersOf(const graph::PairTable& table, const std::vector<PersonTotals>& totals,
                          size_t keep);

// Sum over the partners in both lists (other than u and v) of the smaller of the two shares:
// how much of their attention u and v put into the same people. In [0, 1].
double SharedAttention(std::span<const PartnerShare> of_u, std::span<const PartnerShare> of_v,
                       PersonIndex u, PersonIndex v);

// What a pair's features take from outside its own record.
struct PairContext {
  double embeddedness = 0;                     // Embeddedness(...)
  double shared_attention = 0;                 // SharedAttention(...)
  double attention = 0;                        // Attention(...)
  double activity_low = 0, activity_high = 0;  // ln(1 + PersonTotals::recent), lower and higher
};
PairContext ContextOf(const graph::PairRecord& record, double embeddedness, double shared_attention,
                      const PersonTotals& u, const PersonTotals& v);

FeatureVector PairFeatures(const graph::PairRecord& record, const TieConfig& config, double as_of,
                           const PairContext& context);
// coefficient_f * (x_f - center_f) / scale_f: the feature's share of the logit.
double FeatureContribution(const TieConfig& config, int feature, double value);
double StrengthFromFeatures(const TieConfig& config, const FeatureVector& features);

// The usual gap between contacts of a pair, in days (recency's yardstick).
double UsualGapDays(const graph::PairRecord& record, const TieConfig& config);

// With keep_features = false, features stays empty (strengths only).
TieTable ComputeTies(const graph::PairTable& table, const TieConfig& config, double as_of,
                     bool keep_features = true);
TieTable ComputeTiesSerial(const graph::PairTable& table, const TieConfig& config, double as_of);

}  // namespace rapport::score

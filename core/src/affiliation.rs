//! Seller-side resolution (POLICY.md, "Parties and the seller side").
//!
//! For one seller `S`, [`SellerSide::build`] assigns every party that belongs to `S`'s side to
//! its groups and keeps, for each membership, the canonical relation path that proves it:
//! the shortest path, ties broken by the lexicographically smallest list of steps, so that the
//! result does not depend on the order of relations in the case.
//!
//! Groups, as defined by POLICY.md:
//! - **core**: `S`; principals of `S` (`P principal_of S`); partners (`S partner X`) and their
//!   principals;
//! - **staff**: persons employed by `S` or by one of its partners;
//! - **family**: persons with a `family` relation (one hop, symmetric) to a core or staff person;
//! - **owned accounts**: accounts that a core, staff or family party `owns`;
//! - **controlled accounts**: accounts that a core or staff party `controls` without any
//!   seller-side party owning them.
//!
//! Decision written down: when an account is owned by several seller-side parties, its
//! strongest owner group counts (core, then staff, then family), so one review of a principal
//! who is also on the payroll is RP-01 and not RP-01 and RP-05 at once.

use crate::case::{Case, Relation, RelationKind};
use std::collections::{BTreeMap, BTreeSet};

/// A relation path: steps like `S1 employs P2`, from the seller outwards.
pub type Path = Vec<String>;

/// The group through which an account or party belongs to the seller side.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Group {
    /// The seller, its principals, partners and partners' principals.
    Core,
    /// Employees of the seller or of a partner.
    Staff,
    /// Family of a core or staff person.
    Family,
}

/// The seller side of one seller, built once per case and seller.
#[derive(Debug, Clone, Default)]
pub struct SellerSide {
    /// The seller id.
    pub seller: String,
    core: BTreeMap<String, Path>,
    staff: BTreeMap<String, Path>,
    family: BTreeMap<String, Path>,
    owned: BTreeMap<String, (Group, Path)>,
    controlled: BTreeMap<String, Path>,
    competitors: BTreeMap<String, Path>,
    partners: BTreeSet<String>,
}

/// Keeps the canonical (shortest, then smallest) path for `key`.
fn offer(map: &mut BTreeMap<String, Path>, key: &str, path: Path) {
    match map.get(key) {
        Some(old) if (old.len(), old) <= (path.len(), &path) => {}
        _ => {
            map.insert(key.to_string(), path);
        }
    }
}

fn step(r: &Relation) -> String {
    format!("{} {} {}", r.from, r.kind.as_str(), r.to)
}

/// A symmetric relation written in the direction it is walked.
fn step_from(r: &Relation, from: &str) -> String {
    let to = if r.from == from { &r.to } else { &r.from };
    format!("{} {} {}", from, r.kind.as_str(), to)
}

fn extend(base: &Path, s: String) -> Path {
    let mut p = base.clone();
    p.push(s);
    p
}

impl SellerSide {
    /// Resolves the seller side of `seller` in `case`.
    pub fn build(case: &Case, seller: &str) -> SellerSide {
        let mut side = SellerSide {
            seller: seller.to_string(),
            ..SellerSide::default()
        };
        let rels = &case.relations;
        let of = |k: RelationKind| rels.iter().filter(move |r| r.kind == k);

        // core: S, principals of S, partners, principals of partners.
        side.core.insert(seller.to_string(), Vec::new());
        for r in of(RelationKind::PrincipalOf).filter(|r| r.to == seller) {
            offer(&mut side.core, &r.from, vec![step(r)]);
        }
        for r in of(RelationKind::Partner).filter(|r| r.from == seller) {
            side.partners.insert(r.to.clone());
            offer(&mut side.core, &r.to, vec![step(r)]);
        }
        let partner_paths: Vec<(String, Path)> = side
            .partners
            .iter()
            .filter_map(|p| side.core.get(p).map(|path| (p.clone(), path.clone())))
            .collect();
        for (partner, path) in &partner_paths {
            for r in of(RelationKind::PrincipalOf).filter(|r| &r.to == partner) {
                offer(&mut side.core, &r.from, extend(path, step(r)));
            }
        }
        // staff: employed by S or by a partner.
        let employers: Vec<(String, Path)> = std::iter::once((seller.to_string(), Vec::new()))
            .chain(partner_paths.iter().cloned())
            .collect();
        for (employer, path) in &employers {
            for r in of(RelationKind::Employs).filter(|r| &r.from == employer) {
                offer(&mut side.staff, &r.to, extend(path, step(r)));
            }
        }
        // family: one hop from a core or staff party.
        let anchors: Vec<(String, Path)> = side
            .core
            .iter()
            .chain(side.staff.iter())
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        for (anchor, path) in &anchors {
            for r in of(RelationKind::Family) {
                let other = if &r.from == anchor {
                    &r.to
                } else if &r.to == anchor {
                    &r.from
                } else {
                    continue;
                };
                if other != anchor {
                    offer(&mut side.family, other, extend(path, step_from(r, anchor)));
                }
            }
        }
        // owned accounts, strongest owner group first.
        for r in of(RelationKind::Owns) {
            let owner = [
                (Group::Core, side.core.get(&r.from)),
                (Group::Staff, side.staff.get(&r.from)),
                (Group::Family, side.family.get(&r.from)),
            ]
            .into_iter()
            .find_map(|(g, p)| p.map(|p| (g, extend(p, step(r)))));
            if let Some((group, path)) = owner {
                let better = match side.owned.get(&r.to) {
                    Some((g, p)) => (group, path.len(), &path) < (*g, p.len(), p),
                    None => true,
                };
                if better {
                    side.owned.insert(r.to.clone(), (group, path));
                }
            }
        }
        // controlled accounts: controlled by core or staff, owned by no seller-side party.
        for r in of(RelationKind::Controls) {
            if side.owned.contains_key(&r.to) {
                continue;
            }
            let base = side.core.get(&r.from).or_else(|| side.staff.get(&r.from));
            if let Some(p) = base {
                offer(&mut side.controlled, &r.to, extend(p, step(r)));
            }
        }
        // competitors (symmetric).
        for r in of(RelationKind::Competitor) {
            if r.from == seller && r.to != seller {
                offer(&mut side.competitors, &r.to, vec![step_from(r, seller)]);
            } else if r.to == seller && r.from != seller {
                offer(&mut side.competitors, &r.from, vec![step_from(r, seller)]);
            }
        }
        side
    }

    /// The owner group and path of an account owned by the seller side.
    pub fn owned(&self, account: &str) -> Option<(Group, &Path)> {
        self.owned.get(account).map(|(g, p)| (*g, p))
    }

    /// The path of an account controlled (not owned) by a core or staff party.
    pub fn controlled(&self, account: &str) -> Option<&Path> {
        self.controlled.get(account)
    }

    /// The path of a core party.
    pub fn core(&self, party: &str) -> Option<&Path> {
        self.core.get(party)
    }

    /// The path of a staff party.
    pub fn staff(&self, party: &str) -> Option<&Path> {
        self.staff.get(party)
    }

    /// The path of a family party.
    pub fn family(&self, party: &str) -> Option<&Path> {
        self.family.get(party)
    }

    /// Whether `party` is a partner of the seller.
    pub fn is_partner(&self, party: &str) -> bool {
        self.partners.contains(party)
    }

    /// The path to a competitor seller.
    pub fn competitor(&self, seller: &str) -> Option<&Path> {
        self.competitors.get(seller)
    }

    /// Whose conduct is the seller's: core or staff parties, owned or controlled accounts.
    /// Returns the path that links `party` to the seller.
    pub fn conduct(&self, party: &str) -> Option<&Path> {
        self.core
            .get(party)
            .or_else(|| self.staff.get(party))
            .or_else(|| self.owned.get(party).map(|(_, p)| p))
            .or_else(|| self.controlled.get(party))
    }

    /// Any seller-side party or account (conduct, plus family persons): who may not edit
    /// another author's review.
    pub fn any_side(&self, party: &str) -> Option<&Path> {
        self.conduct(party).or_else(|| self.family.get(party))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::case::{Case, Relation};

    fn rel(kind: RelationKind, from: &str, to: &str) -> Relation {
        Relation {
            kind,
            from: from.into(),
            to: to.into(),
            signal: None,
        }
    }

    fn case(rels: Vec<Relation>) -> Case {
        Case {
            relations: rels,
            ..Case::default()
        }
    }

    use RelationKind::*;

    #[test]
    fn the_policy_example_path() {
        let c = case(vec![
            rel(Employs, "S1", "P2"),
            rel(Family, "P2", "P3"),
            rel(Owns, "P3", "A3"),
        ]);
        let side = SellerSide::build(&c, "S1");
        let (g, p) = side.owned("A3").unwrap();
        assert_eq!(g, Group::Family);
        assert_eq!(p, &vec!["S1 employs P2", "P2 family P3", "P3 owns A3"]);
    }

    #[test]
    fn family_is_symmetric_and_written_in_walking_order() {
        let c = case(vec![
            rel(PrincipalOf, "P1", "S1"),
            rel(Family, "P9", "P1"),
            rel(Owns, "P9", "A9"),
        ]);
        let side = SellerSide::build(&c, "S1");
        assert_eq!(
            side.owned("A9").unwrap().1,
            &vec!["P1 principal_of S1", "P1 family P9", "P9 owns A9"]
        );
    }

    #[test]
    fn family_is_one_hop_only() {
        let c = case(vec![
            rel(Employs, "S1", "P2"),
            rel(Family, "P2", "P3"),
            rel(Family, "P3", "P4"),
            rel(Owns, "P4", "A4"),
        ]);
        let side = SellerSide::build(&c, "S1");
        assert!(side.owned("A4").is_none());
        assert!(side.family("P4").is_none());
    }

    #[test]
    fn partners_their_principals_and_staff() {
        let c = case(vec![
            rel(Partner, "S1", "X1"),
            rel(PrincipalOf, "P5", "X1"),
            rel(Employs, "X1", "P6"),
            rel(Owns, "P5", "A5"),
            rel(Owns, "P6", "A6"),
        ]);
        let side = SellerSide::build(&c, "S1");
        assert_eq!(
            side.owned("A5").unwrap(),
            (
                Group::Core,
                &vec![
                    "S1 partner X1".to_string(),
                    "P5 principal_of X1".into(),
                    "P5 owns A5".into()
                ]
            )
        );
        assert_eq!(side.owned("A6").unwrap().0, Group::Staff);
        // Another seller's people are not on S1's side.
        assert!(SellerSide::build(&c, "S2").owned("A5").is_none());
    }

    #[test]
    fn controlled_excludes_family_controllers_and_owned_accounts() {
        let c = case(vec![
            rel(Controls, "S1", "A1"),
            rel(Employs, "S1", "P2"),
            rel(Family, "P2", "P3"),
            rel(Controls, "P3", "A3"),
            rel(Owns, "S1", "A4"),
            rel(Controls, "S1", "A4"),
        ]);
        let side = SellerSide::build(&c, "S1");
        assert_eq!(side.controlled("A1").unwrap(), &vec!["S1 controls A1"]);
        assert!(side.controlled("A3").is_none());
        assert!(side.controlled("A4").is_none());
        assert_eq!(side.owned("A4").unwrap().0, Group::Core);
    }

    #[test]
    fn strongest_owner_group_wins() {
        let c = case(vec![
            rel(PrincipalOf, "P1", "S1"),
            rel(Employs, "S1", "P1"),
            rel(Owns, "P1", "A1"),
        ]);
        assert_eq!(
            SellerSide::build(&c, "S1").owned("A1").unwrap().0,
            Group::Core
        );
    }

    #[test]
    fn customers_are_not_seller_conduct() {
        let c = case(vec![rel(Competitor, "S2", "S1")]);
        let side = SellerSide::build(&c, "S1");
        assert!(side.conduct("A1").is_none());
        assert_eq!(side.conduct("S1"), Some(&vec![]));
        assert_eq!(side.competitor("S2").unwrap(), &vec!["S1 competitor S2"]);
    }
}

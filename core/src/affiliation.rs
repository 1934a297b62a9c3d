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
use std::collections::{BTreeMap, BTreeSet, HashMap};

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
#[derive(Debug, Clone, Default, PartialEq, Eq)]
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

/// The relations of a case by kind and endpoint, built once per case and shared by the seller
/// sides of all its sellers, so that each side looks up the relations of its own parties
/// instead of scanning every relation for each of them.
#[derive(Debug, Clone, Default)]
pub struct RelationsByParty<'a> {
    from: HashMap<&'a str, Vec<&'a Relation>>,
    to: HashMap<&'a str, Vec<&'a Relation>>,
}

impl<'a> RelationsByParty<'a> {
    /// Indexes `relations`.
    pub fn new(relations: &'a [Relation]) -> RelationsByParty<'a> {
        let mut index = RelationsByParty::default();
        for r in relations {
            index.from.entry(r.from.as_str()).or_default().push(r);
            index.to.entry(r.to.as_str()).or_default().push(r);
        }
        // Each party's relations by kind: one kind is a contiguous run.
        for list in index.from.values_mut().chain(index.to.values_mut()) {
            list.sort_by_key(|r| r.kind);
        }
        index
    }

    /// The relations of `kind` from `party`.
    pub fn from(&self, kind: RelationKind, party: &str) -> &[&'a Relation] {
        Self::of_kind(self.from.get(party), kind)
    }

    /// The relations of `kind` to `party`.
    pub fn to(&self, kind: RelationKind, party: &str) -> &[&'a Relation] {
        Self::of_kind(self.to.get(party), kind)
    }

    fn of_kind<'s>(list: Option<&'s Vec<&'a Relation>>, kind: RelationKind) -> &'s [&'a Relation] {
        let list = list.map_or(&[][..], Vec::as_slice);
        let start = list.partition_point(|r| r.kind < kind);
        let len = list
            .get(start..)
            .unwrap_or_default()
            .partition_point(|r| r.kind == kind);
        list.get(start..start + len).unwrap_or_default()
    }
}

impl SellerSide {
    /// Resolves the seller side of `seller` in `case`.
    pub fn build(case: &Case, seller: &str) -> SellerSide {
        SellerSide::build_with(&RelationsByParty::new(&case.relations), seller)
    }

    /// Resolves the seller side of `seller` from the case's relations, indexed once for all
    /// its sellers. The work is in the relations of the side's own parties, not in the case.
    /// Each membership keeps its canonical path (shortest, then smallest) whatever the order
    /// the relations come in.
    pub fn build_with(rels: &RelationsByParty<'_>, seller: &str) -> SellerSide {
        let mut side = SellerSide {
            seller: seller.to_string(),
            ..SellerSide::default()
        };

        // core: S, principals of S, partners, principals of partners.
        side.core.insert(seller.to_string(), Vec::new());
        for r in rels.to(RelationKind::PrincipalOf, seller) {
            offer(&mut side.core, &r.from, vec![step(r)]);
        }
        for r in rels.from(RelationKind::Partner, seller) {
            side.partners.insert(r.to.clone());
            offer(&mut side.core, &r.to, vec![step(r)]);
        }
        let partner_paths: Vec<(String, Path)> = side
            .partners
            .iter()
            .filter_map(|p| side.core.get(p).map(|path| (p.clone(), path.clone())))
            .collect();
        for (partner, path) in &partner_paths {
            for r in rels.to(RelationKind::PrincipalOf, partner) {
                offer(&mut side.core, &r.from, extend(path, step(r)));
            }
        }
        // staff: employed by S or by a partner.
        let employers: Vec<(String, Path)> = std::iter::once((seller.to_string(), Vec::new()))
            .chain(partner_paths.iter().cloned())
            .collect();
        for (employer, path) in &employers {
            for r in rels.from(RelationKind::Employs, employer) {
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
            let touching = rels
                .from(RelationKind::Family, anchor)
                .iter()
                .chain(rels.to(RelationKind::Family, anchor));
            for r in touching {
                let other = if &r.from == anchor { &r.to } else { &r.from };
                if other != anchor {
                    offer(&mut side.family, other, extend(path, step_from(r, anchor)));
                }
            }
        }
        // owned accounts, strongest owner group first.
        let owners: BTreeSet<String> = side
            .core
            .keys()
            .chain(side.staff.keys())
            .chain(side.family.keys())
            .cloned()
            .collect();
        for r in owners.iter().flat_map(|o| rels.from(RelationKind::Owns, o)) {
            side.offer_owned(r);
        }
        // controlled accounts: controlled by core or staff, owned by no seller-side party.
        let controllers: BTreeSet<String> =
            side.core.keys().chain(side.staff.keys()).cloned().collect();
        for r in controllers
            .iter()
            .flat_map(|c| rels.from(RelationKind::Controls, c))
        {
            side.offer_controlled(r);
        }
        // competitors (symmetric).
        for r in rels.from(RelationKind::Competitor, seller) {
            if r.to != seller {
                offer(&mut side.competitors, &r.to, vec![step_from(r, seller)]);
            }
        }
        for r in rels.to(RelationKind::Competitor, seller) {
            if r.from != seller {
                offer(&mut side.competitors, &r.from, vec![step_from(r, seller)]);
            }
        }
        side
    }

    /// Records the account `r` owns when its owner is a core, staff or family party: with the
    /// owner's strongest group, and the canonical path among the owners of that group.
    fn offer_owned(&mut self, r: &Relation) {
        let owner = [
            (Group::Core, self.core.get(&r.from)),
            (Group::Staff, self.staff.get(&r.from)),
            (Group::Family, self.family.get(&r.from)),
        ]
        .into_iter()
        .find_map(|(g, p)| p.map(|p| (g, extend(p, step(r)))));
        if let Some((group, path)) = owner {
            let better = match self.owned.get(&r.to) {
                Some((g, p)) => (group, path.len(), &path) < (*g, p.len(), p),
                None => true,
            };
            if better {
                self.owned.insert(r.to.clone(), (group, path));
            }
        }
    }

    /// Records the account `r` controls when its controller is a core or staff party and no
    /// seller-side party owns it (the owned accounts must be complete).
    fn offer_controlled(&mut self, r: &Relation) {
        if self.owned.contains_key(&r.to) {
            return;
        }
        let base = self.core.get(&r.from).or_else(|| self.staff.get(&r.from));
        if let Some(p) = base {
            let path = extend(p, step(r));
            offer(&mut self.controlled, &r.to, path);
        }
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

    /// Every party and account of the side: those for which [`SellerSide::any_side`] (and so
    /// [`SellerSide::conduct`]) has a path, each once or more.
    pub fn parties(&self) -> impl Iterator<Item = &str> {
        self.core
            .keys()
            .chain(self.staff.keys())
            .chain(self.family.keys())
            .chain(self.owned.keys())
            .chain(self.controlled.keys())
            .map(String::as_str)
    }

    /// Any seller-side party or account (conduct, plus family persons): who may not edit
    /// another author's review.
    pub fn any_side(&self, party: &str) -> Option<&Path> {
        self.conduct(party).or_else(|| self.family.get(party))
    }
}

/// How an account belongs to a seller's side (the answer of [`RelationIndex::affiliation`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Affiliation {
    /// Owned by a seller-side party of this group ([`SellerSide::owned`]).
    Owned(Group, Path),
    /// Controlled by a core or staff party and owned by none ([`SellerSide::controlled`]).
    Controlled(Path),
}

/// Collects relations into a [`RelationIndex`]: ids are interned as they come.
#[derive(Debug, Clone, Default)]
pub struct RelationIndexBuilder {
    ids: Interner,
    edges: Vec<Edge>,
}

/// A relation as the builder keeps it: from, to, kind.
type Edge = (u32, u32, u8);

/// Party ids interned without an allocation per id: the names live in one arena, a map goes
/// from a 64-bit hash of the name to its number, and the rare name whose hash collides with an
/// earlier, different name goes to a second map keyed by the name itself.
#[derive(Debug, Clone, Default)]
struct Interner {
    by_hash: HashMap<u64, u32, BuildMixed>,
    collided: HashMap<Box<str>, u32>,
    names: String,
    ends: Vec<usize>,
}

/// The keys of `Interner::by_hash` are already well-mixed hashes: use them as they are.
#[derive(Debug, Clone, Copy, Default)]
struct BuildMixed;

#[derive(Debug, Clone, Copy, Default)]
struct Mixed(u64);

impl std::hash::BuildHasher for BuildMixed {
    type Hasher = Mixed;
    fn build_hasher(&self) -> Mixed {
        Mixed(0)
    }
}

impl std::hash::Hasher for Mixed {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(*b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// FNV-1a over the bytes, then the SplitMix64 finaliser so every bit of the name moves every
/// bit of the hash (the map takes its bucket from the low bits and its tag from the high ones).
fn name_hash(s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.bytes() {
        h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
    }
    h = (h ^ (h >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    h = (h ^ (h >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    h ^ (h >> 31)
}

impl Interner {
    fn name(&self, id: u32) -> &str {
        let i = id as usize;
        let end = self.ends.get(i).copied().unwrap_or(0);
        let start = match i.checked_sub(1) {
            Some(p) => self.ends.get(p).copied().unwrap_or(0),
            None => 0,
        };
        self.names.get(start..end).unwrap_or_default()
    }

    fn get(&self, s: &str) -> Option<u32> {
        match self.by_hash.get(&name_hash(s)) {
            Some(&i) if self.name(i) == s => Some(i),
            Some(_) => self.collided.get(s).copied(),
            None => None,
        }
    }

    fn push(&mut self, s: &str) -> u32 {
        let i = u32::try_from(self.ends.len()).unwrap_or(u32::MAX);
        self.names.push_str(s);
        self.ends.push(self.names.len());
        i
    }

    fn intern(&mut self, s: &str) -> u32 {
        let h = name_hash(s);
        match self.by_hash.get(&h) {
            Some(&i) if self.name(i) == s => i,
            Some(_) => {
                if let Some(&i) = self.collided.get(s) {
                    return i;
                }
                let i = self.push(s);
                self.collided.insert(s.into(), i);
                i
            }
            None => {
                let i = self.push(s);
                self.by_hash.insert(h, i);
                i
            }
        }
    }

    fn len(&self) -> usize {
        self.ends.len()
    }
}

impl RelationIndexBuilder {
    /// Adds one relation `from kind to`.
    pub fn add(&mut self, kind: RelationKind, from: &str, to: &str) {
        let f = self.ids.intern(from);
        let t = self.ids.intern(to);
        self.edges.push((f, t, kind as u8));
    }

    /// Builds the index: both directions of every relation in compressed sparse rows, each
    /// party's relations sorted by kind and then by the other party.
    pub fn build(self) -> RelationIndex {
        let n = self.ids.len();
        let csr = |key: fn(&Edge) -> Edge| {
            let mut offsets = vec![0u32; n + 1];
            for e in &self.edges {
                let (a, _, _) = key(e);
                if let Some(o) = offsets.get_mut(a as usize + 1) {
                    *o += 1;
                }
            }
            for i in 0..n {
                let prev = offsets.get(i).copied().unwrap_or(0);
                if let Some(o) = offsets.get_mut(i + 1) {
                    *o += prev;
                }
            }
            let mut fill = offsets.clone();
            let mut targets = vec![(0u8, 0u32); self.edges.len()];
            for e in &self.edges {
                let (a, b, k) = key(e);
                if let Some(at) = fill.get_mut(a as usize) {
                    if let Some(slot) = targets.get_mut(*at as usize) {
                        *slot = (k, b);
                    }
                    *at += 1;
                }
            }
            for w in offsets.windows(2) {
                if let [lo, hi] = *w {
                    if let Some(seg) = targets.get_mut(lo as usize..hi as usize) {
                        seg.sort_unstable();
                    }
                }
            }
            Csr { offsets, targets }
        };
        let out = csr(|&(f, t, k)| (f, t, k));
        let into = csr(|&(f, t, k)| (t, f, k));
        RelationIndex {
            ids: self.ids,
            out,
            into,
        }
    }
}

/// One direction of the relations: party `p`'s relations are `targets[offsets[p]..offsets[p +
/// 1]]`, as `(kind, other party)` sorted.
#[derive(Debug, Clone, Default)]
struct Csr {
    offsets: Vec<u32>,
    targets: Vec<(u8, u32)>,
}

impl Csr {
    fn segment(&self, node: u32) -> &[(u8, u32)] {
        let lo = self.offsets.get(node as usize).copied().unwrap_or(0) as usize;
        let hi = self.offsets.get(node as usize + 1).copied().unwrap_or(0) as usize;
        self.targets.get(lo..hi).unwrap_or_default()
    }

    fn of(&self, node: u32, kind: RelationKind) -> impl Iterator<Item = u32> + '_ {
        let seg = self.segment(node);
        let k = kind as u8;
        let lo = seg.partition_point(|(x, _)| *x < k);
        let hi = seg.partition_point(|(x, _)| *x <= k);
        seg.get(lo..hi).unwrap_or_default().iter().map(|(_, t)| *t)
    }

    fn has(&self, node: u32, kind: RelationKind, other: u32) -> bool {
        self.segment(node)
            .binary_search(&(kind as u8, other))
            .is_ok()
    }
}

/// A marketplace-wide relation index: every party interned once, relations in both directions
/// as compressed sparse rows. It answers "how does this account belong to this seller's side"
/// from the account outwards, touching only the few relations around it, with the same group
/// and canonical path (shortest, then smallest) as [`SellerSide::build`] over the same
/// relations. Building it is linear in the relations; a query does not depend on how large
/// the seller is.
#[derive(Debug, Clone, Default)]
pub struct RelationIndex {
    ids: Interner,
    out: Csr,
    into: Csr,
}

/// Keeps the canonical (shortest, then smallest) of two candidate paths.
fn better(best: &mut Option<Path>, cand: Path) {
    if best
        .as_ref()
        .is_none_or(|b| (cand.len(), &cand) < (b.len(), b))
    {
        *best = Some(cand);
    }
}

impl RelationIndex {
    /// The index of the relations of one case.
    pub fn from_relations(relations: &[Relation]) -> RelationIndex {
        let mut b = RelationIndexBuilder::default();
        for r in relations {
            b.add(r.kind, &r.from, &r.to);
        }
        b.build()
    }

    /// Number of distinct parties.
    pub fn parties(&self) -> usize {
        self.ids.len()
    }

    /// Number of relations.
    pub fn relations(&self) -> usize {
        self.out.targets.len()
    }

    fn name(&self, id: u32) -> &str {
        self.ids.name(id)
    }

    fn step(&self, from: u32, kind: RelationKind, to: u32) -> String {
        format!("{} {} {}", self.name(from), kind.as_str(), self.name(to))
    }

    fn has(&self, from: u32, kind: RelationKind, to: u32) -> bool {
        self.out.has(from, kind, to)
    }

    /// The path of a partner `x` of seller `s` as [`SellerSide::build`] keeps it before the
    /// partners' principals are added.
    fn partner_path(&self, s: u32, x: u32) -> Option<Path> {
        if !self.has(s, RelationKind::Partner, x) {
            return None;
        }
        if x == s {
            return Some(Vec::new());
        }
        let mut best = Some(vec![self.step(s, RelationKind::Partner, x)]);
        if self.has(x, RelationKind::PrincipalOf, s) {
            better(&mut best, vec![self.step(x, RelationKind::PrincipalOf, s)]);
        }
        best
    }

    fn core_path(&self, s: u32, x: u32) -> Option<Path> {
        if x == s {
            return Some(Vec::new());
        }
        let mut best = None;
        if self.has(x, RelationKind::PrincipalOf, s) {
            better(&mut best, vec![self.step(x, RelationKind::PrincipalOf, s)]);
        }
        if self.has(s, RelationKind::Partner, x) {
            better(&mut best, vec![self.step(s, RelationKind::Partner, x)]);
        }
        for p in self.out.of(x, RelationKind::PrincipalOf) {
            if let Some(mut path) = self.partner_path(s, p) {
                path.push(self.step(x, RelationKind::PrincipalOf, p));
                better(&mut best, path);
            }
        }
        best
    }

    fn staff_path(&self, s: u32, x: u32) -> Option<Path> {
        let mut best = None;
        for e in self.into.of(x, RelationKind::Employs) {
            let base = if e == s {
                Some(Vec::new())
            } else {
                self.partner_path(s, e)
            };
            if let Some(mut path) = base {
                path.push(self.step(e, RelationKind::Employs, x));
                better(&mut best, path);
            }
        }
        best
    }

    fn family_path(&self, s: u32, x: u32) -> Option<Path> {
        let mut best = None;
        let around = self
            .out
            .of(x, RelationKind::Family)
            .chain(self.into.of(x, RelationKind::Family));
        for y in around.filter(|&y| y != x) {
            for base in [self.core_path(s, y), self.staff_path(s, y)]
                .into_iter()
                .flatten()
            {
                let mut path = base;
                path.push(self.step(y, RelationKind::Family, x));
                better(&mut best, path);
            }
        }
        best
    }

    /// How `account` belongs to the side of `seller`: owned (with the strongest owner group),
    /// else controlled, else `None`. The same answer and path as
    /// `SellerSide::build(case, seller).owned(account)` / `.controlled(account)`.
    pub fn affiliation(&self, seller: &str, account: &str) -> Option<Affiliation> {
        let s = self.ids.get(seller)?;
        let a = self.ids.get(account)?;
        let mut owned: Option<(Group, Path)> = None;
        for o in self.into.of(a, RelationKind::Owns) {
            let found = self
                .core_path(s, o)
                .map(|p| (Group::Core, p))
                .or_else(|| self.staff_path(s, o).map(|p| (Group::Staff, p)))
                .or_else(|| self.family_path(s, o).map(|p| (Group::Family, p)));
            if let Some((group, mut path)) = found {
                path.push(self.step(o, RelationKind::Owns, a));
                let wins = owned
                    .as_ref()
                    .is_none_or(|(g, p)| (group, path.len(), &path) < (*g, p.len(), p));
                if wins {
                    owned = Some((group, path));
                }
            }
        }
        if let Some((g, p)) = owned {
            return Some(Affiliation::Owned(g, p));
        }
        let mut best = None;
        for c in self.into.of(a, RelationKind::Controls) {
            if let Some(mut path) = self.core_path(s, c).or_else(|| self.staff_path(s, c)) {
                path.push(self.step(c, RelationKind::Controls, a));
                better(&mut best, path);
            }
        }
        best.map(Affiliation::Controlled)
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

    /// The first, direct implementation of [`SellerSide::build_with`]: every relation of the
    /// case scanned for each party of the side (quadratic in the relations of a large side).
    fn build_by_scanning(case: &Case, seller: &str) -> SellerSide {
        let mut side = SellerSide {
            seller: seller.to_string(),
            ..SellerSide::default()
        };
        let rels = &case.relations;
        let of = |k: RelationKind| rels.iter().filter(move |r| r.kind == k);
        side.core.insert(seller.to_string(), Vec::new());
        for r in of(PrincipalOf).filter(|r| r.to == seller) {
            offer(&mut side.core, &r.from, vec![step(r)]);
        }
        for r in of(Partner).filter(|r| r.from == seller) {
            side.partners.insert(r.to.clone());
            offer(&mut side.core, &r.to, vec![step(r)]);
        }
        let partner_paths: Vec<(String, Path)> = side
            .partners
            .iter()
            .filter_map(|p| side.core.get(p).map(|path| (p.clone(), path.clone())))
            .collect();
        for (partner, path) in &partner_paths {
            for r in of(PrincipalOf).filter(|r| &r.to == partner) {
                offer(&mut side.core, &r.from, extend(path, step(r)));
            }
        }
        let employers: Vec<(String, Path)> = std::iter::once((seller.to_string(), Vec::new()))
            .chain(partner_paths.iter().cloned())
            .collect();
        for (employer, path) in &employers {
            for r in of(Employs).filter(|r| &r.from == employer) {
                offer(&mut side.staff, &r.to, extend(path, step(r)));
            }
        }
        let anchors: Vec<(String, Path)> = side
            .core
            .iter()
            .chain(side.staff.iter())
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        for (anchor, path) in &anchors {
            for r in of(Family) {
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
        for r in of(Owns) {
            side.offer_owned(r);
        }
        for r in of(Controls) {
            side.offer_controlled(r);
        }
        for r in of(Competitor) {
            if r.from == seller && r.to != seller {
                offer(&mut side.competitors, &r.to, vec![step_from(r, seller)]);
            } else if r.to == seller && r.from != seller {
                offer(&mut side.competitors, &r.from, vec![step_from(r, seller)]);
            }
        }
        side
    }

    proptest::proptest! {
        /// The indexed build gives exactly the side of scanning every relation, on random
        /// graphs over a few parties (cycles, self-loops, duplicate relations, every kind).
        #[test]
        fn indexed_build_equals_scanning(
            edges in proptest::collection::vec((0usize..8, 0usize..6, 0usize..6), 0..40),
        ) {
            let kinds = [PrincipalOf, Employs, Family, Owns, Controls, Partner, Member, Competitor];
            let party = |i: usize| if i == 0 { "S1".to_string() } else { format!("P{i}") };
            let c = case(
                edges
                    .iter()
                    .map(|&(k, a, b)| rel(kinds[k], &party(a), &party(b)))
                    .collect(),
            );
            for seller in ["S1", "P1"] {
                proptest::prop_assert_eq!(
                    SellerSide::build(&c, seller),
                    build_by_scanning(&c, seller)
                );
            }
        }
    }

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

    /// The index answers exactly as `SellerSide::build`, group and canonical path, on small
    /// random graphs dense with the awkward cases: self-loops, a partner that is also a
    /// principal, accounts owned and controlled from several sides, family both ways.
    #[test]
    fn index_agrees_with_seller_side_on_random_graphs() {
        let mut x = 0x2545_F491_4F6C_DD1Du64;
        let mut next = |n: u64| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x % n) as usize
        };
        let kinds = [
            PrincipalOf,
            Employs,
            Family,
            Owns,
            Controls,
            Partner,
            Competitor,
        ];
        let parties = [
            "S1", "S2", "P1", "P2", "P3", "P4", "X1", "X2", "A1", "A2", "A3",
        ];
        for _ in 0..3000 {
            let n = 1 + next(14);
            let rels: Vec<Relation> = (0..n)
                .map(|_| {
                    rel(
                        kinds[next(kinds.len() as u64)],
                        parties[next(parties.len() as u64)],
                        parties[next(parties.len() as u64)],
                    )
                })
                .collect();
            let index = RelationIndex::from_relations(&rels);
            let c = case(rels.clone());
            for s in ["S1", "S2", "P1", "X1"] {
                let side = SellerSide::build(&c, s);
                for a in parties {
                    let want = side
                        .owned(a)
                        .map(|(g, p)| Affiliation::Owned(g, p.clone()))
                        .or_else(|| side.controlled(a).cloned().map(Affiliation::Controlled));
                    let got = if index.ids.get(s).is_some() {
                        index.affiliation(s, a)
                    } else {
                        None
                    };
                    assert_eq!(got, want, "seller {s}, account {a}, relations {rels:?}");
                }
            }
        }
    }

    /// A name whose hash collides with an earlier name's gets its own number all the same.
    #[test]
    fn interner_survives_hash_collisions() {
        let mut ids = Interner::default();
        assert_eq!(ids.intern("a"), 0);
        // Pretend `b` hashes like `a`.
        ids.by_hash.insert(name_hash("b"), 0);
        assert_eq!(ids.intern("b"), 1);
        assert_eq!(ids.intern("b"), 1);
        assert_eq!(
            (ids.get("a"), ids.get("b"), ids.get("c")),
            (Some(0), Some(1), None)
        );
        assert_eq!((ids.name(0), ids.name(1)), ("a", "b"));
    }
}

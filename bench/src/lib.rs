//! The benchmark harness of reviewguard: a deterministic, realistic text corpus and a synthetic
//! marketplace relation graph, shared by the one-run report (`src/main.rs`, run by
//! `bash bench/run.sh`) and the criterion benches (`benches/stages.rs`).
//!
//! Nothing here reads files at run time: the positive seeds are the labelled corpus of the
//! repository (`tests/corpus/*.jsonl`), embedded at compile time, so the corpus is the same on
//! every machine.
// A measuring tool, not library code: panicking on a broken invariant is the right failure, and
// the workspace's panic-free lints would only add noise here.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use reviewguard::case::RelationKind;
use reviewguard::Channel;

/// The six languages of the pack.
pub const LANGS: [&str; 6] = ["en", "de", "fr", "es", "it", "ja"];

/// Ordinary seller, listing and review sentences per language (clean: no rule fires).
const CLEAN: [&[&str]; 6] = [
    &[
        "Thank you for your order, your parcel left our warehouse this morning and should arrive within three days.",
        "If you need an invoice for your company, just reply to this message with your VAT number.",
        "Our blender comes with a two year warranty and spare blades are available in our store.",
        "The stainless steel jar holds 1.5 litres and is dishwasher safe.",
        "Tracking number 1Z999AA10123456784 will be active within 24 hours.",
        "Please check that the voltage matches your country before plugging in the device.",
        "Works great for smoothies, soups and crushed ice; the motor is quiet at low speed.",
        "I used it every morning for a month and the lid still seals tightly.",
    ],
    &[
        "Vielen Dank für Ihre Bestellung, das Paket wurde heute an DHL übergeben.",
        "Die Garantie beträgt zwei Jahre, Ersatzteile finden Sie in unserem Shop.",
        "Der Mixbehälter aus Edelstahl fasst 1,5 Liter und ist spülmaschinenfest.",
        "Bitte prüfen Sie vor dem ersten Gebrauch die Netzspannung.",
        "Die Lieferung erfolgt innerhalb von drei Werktagen nach Zahlungseingang.",
        "Ich benutze das Gerät seit einem Monat täglich, der Deckel schließt immer noch dicht.",
    ],
    &[
        "Merci pour votre commande, le colis a été remis au transporteur ce matin.",
        "La garantie est de deux ans et les pièces détachées sont disponibles.",
        "Le bol en inox contient 1,5 litre et passe au lave-vaisselle.",
        "Vérifiez la tension de votre pays avant de brancher l'appareil.",
        "Livraison en trois jours ouvrés après réception du paiement.",
        "Je l'utilise tous les matins depuis un mois, le couvercle ferme toujours bien.",
    ],
    &[
        "Gracias por su pedido, el paquete ha salido hoy de nuestro almacén.",
        "La garantía es de dos años y tenemos repuestos disponibles en la tienda.",
        "El vaso de acero inoxidable tiene capacidad para 1,5 litros y se puede lavar en el lavavajillas.",
        "Compruebe el voltaje de su país antes de enchufar el aparato.",
        "El envío tarda tres días laborables desde la confirmación del pago.",
        "Lo uso todas las mañanas desde hace un mes y la tapa sigue cerrando bien.",
    ],
    &[
        "Grazie per il tuo ordine, il pacco è stato consegnato al corriere stamattina.",
        "La garanzia è di due anni e i ricambi sono disponibili nel nostro negozio.",
        "Il bicchiere in acciaio inox contiene 1,5 litri ed è lavabile in lavastoviglie.",
        "Controlla la tensione del tuo paese prima di collegare l'apparecchio.",
        "La spedizione richiede tre giorni lavorativi dalla conferma del pagamento.",
        "Lo uso ogni mattina da un mese e il coperchio chiude ancora bene.",
    ],
    &[
        "ご注文ありがとうございます。商品は本日発送いたしました。",
        "保証期間は二年間です。交換部品もご用意しております。",
        "ステンレス製の容器は1.5リットルで、食洗機に対応しています。",
        "ご使用の前に、お住まいの地域の電圧をご確認ください。",
        "お支払いの確認後、三営業日以内にお届けします。",
        "毎朝使っていますが、一か月経ってもふたはしっかり閉まります。",
    ],
];

/// The labelled corpus of the repository, embedded: its positive lines are the seeds of the
/// texts that carry a violation.
const LABELLED: [&str; 7] = [
    include_str!("../../tests/corpus/en.jsonl"),
    include_str!("../../tests/corpus/de.jsonl"),
    include_str!("../../tests/corpus/fr.jsonl"),
    include_str!("../../tests/corpus/es.jsonl"),
    include_str!("../../tests/corpus/it.jsonl"),
    include_str!("../../tests/corpus/ja.jsonl"),
    include_str!("../../tests/corpus/obfuscation.jsonl"),
];

/// Where a text comes from, which decides how the engine reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// A seller message or listing text in a channel.
    Message(Channel),
    /// A customer review (`Engine::scan_review`).
    Review,
}

/// One text of the corpus.
#[derive(Debug, Clone)]
pub struct Text {
    /// Index into [`LANGS`].
    pub lang: usize,
    /// How the engine reads it.
    pub source: Source,
    /// The text.
    pub text: String,
    /// Whether a positive seed sentence was inserted.
    pub hot: bool,
}

/// A small xorshift generator: deterministic across platforms and runs.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator with this seed (0 is replaced).
    pub fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }

    /// The next value.
    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    /// A value in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// A value in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// Positive seed texts per language (index into [`LANGS`]; obfuscated ones count as English).
pub fn positives() -> Vec<Vec<String>> {
    let mut out = vec![Vec::new(); LANGS.len()];
    for (i, file) in LABELLED.iter().enumerate() {
        for line in file.lines().filter(|l| !l.trim().is_empty()) {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            let expect = v["expect"].as_array().map_or(0, Vec::len);
            if expect > 0 && v["source"] == "message" {
                out[if i == 6 { 0 } else { i }].push(v["text"].as_str().unwrap().to_string());
            }
        }
    }
    out
}

/// A clean text of about `len` bytes in language `lang`, with one positive seed sentence at a
/// random place when `hot`.
fn text_of(rng: &mut Rng, lang: usize, len: usize, hot: Option<&str>) -> String {
    let clean = CLEAN[lang];
    let mut m = String::with_capacity(len + 128);
    let at = hot.map(|_| rng.below(len.max(1)));
    let mut placed = false;
    loop {
        if let (Some(h), Some(at)) = (hot, at) {
            if !placed && m.len() >= at {
                m.push_str(h);
                m.push(if lang == 5 { '\u{3000}' } else { ' ' });
                placed = true;
            }
        }
        if m.len() >= len && (placed || hot.is_none()) {
            break;
        }
        m.push_str(clean[rng.below(clean.len())]);
        if lang != 5 {
            m.push(' ');
        }
    }
    m
}

/// The mixed corpus: `n` texts over the six languages (Latin-script languages weighted as
/// marketplaces are, Japanese one in six), of four kinds (messages, package inserts, listings,
/// reviews), with lengths log-uniform between 50 B and 100 KB, and one text in `hot_every`
/// carrying a violation.
pub fn corpus(n: usize, seed: u64, hot_every: usize) -> Vec<Text> {
    let pos = positives();
    let mut rng = Rng::new(seed);
    (0..n)
        .map(|i| {
            let lang = rng.below(LANGS.len());
            let (source, lo, hi) = match rng.below(10) {
                0..=4 => (Source::Message(Channel::BuyerSellerMessage), 50.0, 8_000.0),
                5 => (Source::Message(Channel::PackageInsert), 50.0, 1_000.0),
                6 | 7 => (Source::Message(Channel::ProductListing), 500.0, 100_000.0),
                _ => (Source::Review, 50.0, 20_000.0),
            };
            let len = (lo * f64::powf(hi / lo, rng.unit())) as usize;
            let hot = i % hot_every.max(1) == 0 && !pos[lang].is_empty();
            let seed_text = hot.then(|| pos[lang][rng.below(pos[lang].len())].as_str());
            Text {
                lang,
                source,
                text: text_of(&mut rng, lang, len, seed_text),
                hot,
            }
        })
        .collect()
}

/// `n` buyer-seller messages of about 1 KB (the latency set), one in ten with a violation.
pub fn messages_1kb(n: usize, seed: u64) -> Vec<Text> {
    let pos = positives();
    let mut rng = Rng::new(seed);
    (0..n)
        .map(|i| {
            let lang = i % LANGS.len();
            let hot = i % 10 == 0;
            let seed_text = hot.then(|| pos[lang][rng.below(pos[lang].len())].as_str());
            let mut text = text_of(&mut rng, lang, 900, seed_text);
            // Trim to 1 KB on a char boundary, keeping a hot sentence whole when it is late.
            if !hot {
                let mut cut = text.len().min(1024);
                while !text.is_char_boundary(cut) {
                    cut -= 1;
                }
                text.truncate(cut);
            }
            Text {
                lang,
                source: Source::Message(Channel::BuyerSellerMessage),
                text,
                hot,
            }
        })
        .collect()
}

/// A synthetic marketplace of about `target` relations with a power-law shape: seller `k`
/// (of `sellers`) has a size proportional to `1 / (k + 1)`, so a few sellers have tens of
/// thousands of employees, principals and accounts and partners, and most have a handful.
/// Every person owns or controls some accounts; some persons are family of others. Ids are
/// `S<k>`, `X<k>` (partners), `P<k>` (persons), `A<k>` (accounts). Relations are handed to
/// `emit(seller index, kind, from, to)` as they are made (10 M `Relation` values would cost
/// more memory than the index under test).
pub fn marketplace(
    target: usize,
    sellers: usize,
    seed: u64,
    mut emit: impl FnMut(usize, RelationKind, &str, &str),
) -> usize {
    let mut rng = Rng::new(seed);
    let mut n = 0usize;
    let harmonic: f64 = (1..=sellers).map(|k| 1.0 / k as f64).sum();
    // Each person brings on average ~4.3 relations (employment, 1 to 5 accounts, family).
    let persons_total = target as f64 / 4.3;
    let (mut person, mut account, mut partner) = (0usize, 0usize, 0usize);
    for k in 0..sellers {
        if n >= target {
            break;
        }
        let s = format!("S{k}");
        let people = ((persons_total / harmonic) / (k + 1) as f64).max(1.0) as usize;
        let partners = (people / 200).min(50);
        let mut employers = vec![s.clone()];
        for _ in 0..partners {
            let x = format!("X{partner}");
            partner += 1;
            emit(k, RelationKind::Partner, &s, &x);
            n += 1;
            employers.push(x);
        }
        let first_person = person;
        for j in 0..people {
            let p = format!("P{person}");
            person += 1;
            let employer = &employers[rng.below(employers.len())];
            if j % 50 == 0 {
                emit(k, RelationKind::PrincipalOf, &p, employer);
            } else {
                emit(k, RelationKind::Employs, employer, &p);
            }
            n += 1;
            for _ in 0..1 + rng.below(5) {
                let a = format!("A{account}");
                account += 1;
                let kind = if rng.below(8) == 0 {
                    RelationKind::Controls
                } else {
                    RelationKind::Owns
                };
                emit(k, kind, &p, &a);
                n += 1;
            }
            if j > 0 && rng.below(3) == 0 {
                let other = format!("P{}", first_person + rng.below(j));
                emit(k, RelationKind::Family, &p, &other);
                n += 1;
            }
        }
        if k > 0 && rng.below(4) == 0 {
            emit(
                k,
                RelationKind::Competitor,
                &s,
                &format!("S{}", rng.below(k)),
            );
            n += 1;
        }
    }
    n
}

/// Peak resident memory of this process (`VmHWM`, bytes), and the current one (`VmRSS`).
pub fn memory() -> (u64, u64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse::<u64>().ok())
            .map_or(0, |kb| kb * 1024)
    };
    (field("VmHWM:"), field("VmRSS:"))
}

/// CPU time of this process so far (user + system, seconds; from `/proc/self/stat`): what a
/// build costs even when other processes take turns on the cores.
pub fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
    let rest = stat.rsplit(')').next().unwrap_or_default();
    let f: Vec<u64> = rest
        .split_whitespace()
        .skip(11)
        .take(2)
        .filter_map(|x| x.parse().ok())
        .collect();
    f.iter().sum::<u64>() as f64 / 100.0
}

/// The value at quantile `q` of sorted samples.
pub fn percentile(sorted: &[u64], q: f64) -> u64 {
    if sorted.is_empty() {
        return 0;
    }
    let i = ((sorted.len() as f64 - 1.0) * q).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The corpus is deterministic and has the promised shape (fast: a small sample).
    #[test]
    fn corpus_is_deterministic_and_shaped() {
        let a = corpus(200, 7, 20);
        let b = corpus(200, 7, 20);
        assert_eq!(
            a.iter().map(|t| &t.text).collect::<Vec<_>>(),
            b.iter().map(|t| &t.text).collect::<Vec<_>>()
        );
        assert!(a
            .iter()
            .all(|t| t.text.len() >= 50 && t.text.len() < 110_000));
        assert_eq!(a.iter().filter(|t| t.hot).count(), 10);
        assert!(positives().iter().all(|p| !p.is_empty()));
        let m = messages_1kb(12, 3);
        assert!(m.iter().all(|t| (800..1300).contains(&t.text.len())));
    }

    #[test]
    fn marketplace_reaches_its_size() {
        let mut rels = Vec::new();
        let n = marketplace(20_000, 100, 1, |_, k, a, b| {
            rels.push((k, a.to_string(), b.to_string()))
        });
        assert_eq!(n, rels.len());
        assert!((19_000..21_000).contains(&n), "{n}");
    }
}

//! End-to-end throughput (normalise + match + rules) of the default pack over a mixed
//! six-language message corpus of ~1 KB messages, against `memchr` for one byte over the same
//! bytes in the same run (the ceiling for any one-pass text engine). Also reports engine build
//! time and per-message latency percentiles.
//!
//! Run: `cargo bench -p reviewguard --bench throughput`.
#![allow(
    clippy::disallowed_methods,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    missing_docs
)]

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use reviewguard::{Channel, Engine};
use std::hint::black_box;
use std::time::Instant;

/// Sentences of ordinary seller text per language (mostly clean, as real traffic is).
const CLEAN: &[&str] = &[
    "Thank you for your order, your parcel left our warehouse this morning and should arrive within three days.",
    "If you need an invoice for your company, just reply to this message with your VAT number.",
    "Our blender comes with a two year warranty and spare blades are available in our store.",
    "Vielen Dank für Ihre Bestellung, das Paket wurde heute an DHL übergeben.",
    "Die Garantie beträgt zwei Jahre, Ersatzteile finden Sie in unserem Shop.",
    "Merci pour votre commande, le colis a été remis au transporteur ce matin.",
    "La garantie est de deux ans et les pièces détachées sont disponibles.",
    "Gracias por su pedido, el paquete ha salido hoy de nuestro almacén.",
    "La garantía es de dos años y tenemos repuestos disponibles en la tienda.",
    "Grazie per il tuo ordine, il pacco è stato consegnato al corriere stamattina.",
    "La garanzia è di due anni e i ricambi sono disponibili nel nostro negozio.",
    "ご注文ありがとうございます。商品は本日発送いたしました。",
    "保証期間は二年間です。交換部品もご用意しております。",
];

/// Sentences that violate the policy (about one message in ten carries one).
const HOT: &[&str] = &[
    "Leave a review and we'll send you a $10 gift card as a thank-you!",
    "Please leave us a 5-star review!",
    "Hinterlassen Sie eine Bewertung und Sie erhalten einen Gutschein über 10 €.",
    "Merci de nous laisser un avis 5 étoiles sur Amazon !",
    "¿Podría eliminar su reseña negativa? Le devolveremos el dinero.",
    "星5つのレビューをお願いします！",
];

fn corpus(n: usize) -> Vec<String> {
    let mut out = Vec::with_capacity(n);
    let mut seed = 0x9E37_79B9u64;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed as usize
    };
    for i in 0..n {
        let mut m = String::new();
        while m.len() < 1000 {
            m.push_str(CLEAN[next() % CLEAN.len()]);
            m.push(' ');
        }
        if i % 10 == 0 {
            m.push_str(HOT[next() % HOT.len()]);
        }
        out.push(m);
    }
    out
}

fn percentile(sorted: &[u128], p: f64) -> u128 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn bench(c: &mut Criterion) {
    let t = Instant::now();
    // `Engine::new` caches the default engine per process; build from the source to time it.
    let engine = Engine::from_pack(Engine::default_pack_source()).unwrap();
    let build = t.elapsed();
    eprintln!("{:?}", engine.stats());
    let msgs = corpus(2000);
    let bytes: usize = msgs.iter().map(String::len).sum();

    // Latency percentiles per message (~1 KB), measured outside criterion.
    let mut lat: Vec<u128> = Vec::with_capacity(msgs.len() * 3);
    for _ in 0..3 {
        for m in &msgs {
            let t = Instant::now();
            black_box(
                engine
                    .scan(black_box(m), Channel::BuyerSellerMessage, None)
                    .unwrap(),
            );
            lat.push(t.elapsed().as_nanos());
        }
    }
    lat.sort_unstable();
    eprintln!(
        "engine build {:.1} ms; per ~1 KB message: p50 {:.1} us, p99 {:.1} us, p99.9 {:.1} us ({} messages, {} bytes)",
        build.as_secs_f64() * 1e3,
        percentile(&lat, 0.50) as f64 / 1e3,
        percentile(&lat, 0.99) as f64 / 1e3,
        percentile(&lat, 0.999) as f64 / 1e3,
        msgs.len(),
        bytes
    );

    let mut g = c.benchmark_group("mixed-6-languages");
    g.throughput(Throughput::Bytes(bytes as u64));
    g.sample_size(20);
    g.bench_function(BenchmarkId::new("engine-scan", "end-to-end"), |b| {
        b.iter(|| {
            let mut n = 0usize;
            for m in &msgs {
                n += engine
                    .scan(m, Channel::BuyerSellerMessage, None)
                    .unwrap()
                    .len();
            }
            black_box(n)
        })
    });
    g.bench_function(BenchmarkId::new("normalise", "only"), |b| {
        b.iter(|| {
            let mut n = 0usize;
            for m in &msgs {
                n += engine.normalize(m).text.len();
            }
            black_box(n)
        })
    });
    g.bench_function(BenchmarkId::new("memchr", "ceiling"), |b| {
        b.iter(|| {
            let mut n = 0usize;
            for m in &msgs {
                n += memchr::memchr_iter(b'~', m.as_bytes()).count();
            }
            black_box(n)
        })
    });
    g.finish();

    // `Engine::new` caches the default engine per process; time a real build from the source.
    let mut g = c.benchmark_group("engine-build");
    g.sample_size(10);
    g.bench_function("default-pack", |b| {
        b.iter(|| black_box(Engine::from_pack(Engine::default_pack_source()).unwrap()))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);

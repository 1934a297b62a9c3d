//! Criterion timings of the engine's stages over the harness corpus (the same corpus as the
//! one-run report of `bash bench/run.sh`): end to end, normalise, matching on pre-normalised
//! text, and `memchr` for one byte (the ceiling). Run: `cargo bench -p reviewguard-bench`.
#![allow(clippy::unwrap_used, missing_docs, reason = "a benchmark")]

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use reviewguard::text::CompiledPack;
use reviewguard::Engine;
use reviewguard_bench::{corpus, Source};
use std::hint::black_box;

fn stages(c: &mut Criterion) {
    let engine = Engine::from_pack(Engine::default_pack_source()).unwrap();
    let pack = CompiledPack::from_source(&Engine::default_pack_source()).unwrap();
    let texts = corpus(1000, 0x5EED, 20);
    let bytes: usize = texts.iter().map(|t| t.text.len()).sum();
    let folded: Vec<String> = texts.iter().map(|t| pack.normalize(&t.text).text).collect();
    let mut g = c.benchmark_group("corpus");
    g.throughput(Throughput::Bytes(bytes as u64));
    g.sample_size(10);
    g.bench_function("engine-end-to-end", |b| {
        b.iter(|| {
            texts
                .iter()
                .map(|t| match t.source {
                    Source::Message(ch) => engine.scan(&t.text, ch, None).unwrap().len(),
                    Source::Review => engine.scan_review(&t.text).unwrap().len(),
                })
                .sum::<usize>()
        })
    });
    g.bench_function("normalise", |b| {
        b.iter(|| {
            texts
                .iter()
                .map(|t| pack.normalize(&t.text).text.len())
                .sum::<usize>()
        })
    });
    g.bench_function("matching-prenormalised", |b| {
        b.iter(|| folded.iter().map(|t| pack.count_hits(t)).sum::<usize>())
    });
    g.bench_function("memchr-ceiling", |b| {
        b.iter(|| {
            texts
                .iter()
                .map(|t| memchr::memchr_iter(b'~', t.text.as_bytes()).count())
                .sum::<usize>()
        })
    });
    g.finish();
    let mut g = c.benchmark_group("build");
    g.sample_size(10);
    g.bench_function("engine", |b| {
        b.iter(|| black_box(Engine::from_pack(Engine::default_pack_source()).unwrap()))
    });
    g.finish();
}

criterion_group!(benches, stages);
criterion_main!(benches);

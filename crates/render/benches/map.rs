//! Layout and SVG rendering of a 300-node, 600-edge synthetic chain.

use std::hint::black_box;
use std::time::Duration;

use chainchief_render::{MapKind, layout, svg, synthetic};
use criterion::{Criterion, criterion_group, criterion_main};

fn map(c: &mut Criterion) {
    let graph = synthetic(300, 600, 1);
    let href = |id: &str| Some(format!("/nodes/{id}"));
    c.bench_function("layout+svg synthetic(300,600)", |b| {
        b.iter(|| {
            let l = layout(black_box(&graph));
            svg(&graph, &l, MapKind::Status, &href)
        })
    });
    c.bench_function("layout synthetic(300,600)", |b| b.iter(|| layout(black_box(&graph))));
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20).measurement_time(Duration::from_secs(10));
    targets = map
}
criterion_main!(benches);

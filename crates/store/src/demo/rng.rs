//! The demo's randomness: SplitMix64 streams keyed by the seed, a purpose and an owner, so every
//! row can be derived on its own and the order rows are written in does not change them.

/// SplitMix64: small, fast, and the same on every platform and Rust version (unlike `rand`'s
/// generators, whose streams are not promised to stay the same).
#[derive(Debug, Clone)]
pub(super) struct Rng(u64);

fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

impl Rng {
    /// The stream for one purpose (`tag`) of one owner (`key`).
    pub(super) fn new(seed: u64, tag: &str, key: u64) -> Rng {
        let mut h = 0xCBF2_9CE4_8422_2325u64;
        for b in tag.bytes() {
            h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01B3);
        }
        Rng(mix(seed ^ mix(h ^ mix(key.wrapping_add(0x9E37_79B9_7F4A_7C15)))))
    }
    pub(super) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        mix(self.0)
    }
    /// Uniform in [0, 1).
    pub(super) fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
    pub(super) fn range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.unit()
    }
    /// Uniform integer in [lo, hi].
    pub(super) fn int(&mut self, lo: i64, hi: i64) -> i64 {
        if hi <= lo {
            return lo;
        }
        lo + (self.next_u64() % (hi - lo + 1) as u64) as i64
    }
    pub(super) fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }
    pub(super) fn normal(&mut self) -> f64 {
        let u1 = self.unit().max(1e-12);
        let u2 = self.unit();
        (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
    }
    pub(super) fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[(self.next_u64() % items.len() as u64) as usize]
    }
    pub(super) fn weighted<T: Copy>(&mut self, items: &[(T, u32)]) -> T {
        let total: u32 = items.iter().map(|(_, w)| w).sum();
        let mut r = (self.next_u64() % u64::from(total.max(1))) as u32;
        for (item, w) in items {
            if r < *w {
                return *item;
            }
            r -= w;
        }
        items[items.len() - 1].0
    }
    /// `x` rounded down or up at random in proportion, so sums of rounded counts stay unbiased.
    pub(super) fn round(&mut self, x: f64) -> f64 {
        (x + self.unit()).floor()
    }
}

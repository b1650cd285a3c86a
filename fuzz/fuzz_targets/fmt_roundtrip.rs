#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    tamga_fuzz::fmt_roundtrip(data);
});

#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    tamga_fuzz::eval_expr(data);
});

//! Human names of grammar rules, for syntax errors.
//!
//! The match is exhaustive on purpose (no `_` arm): a new grammar rule cannot be added without
//! saying how a person would call it.

use super::Rule;

/// What a person would call the thing a grammar rule matches.
pub fn human(rule: Rule) -> &'static str {
    match rule {
        Rule::EOI => "the end of the file",
        Rule::WHITESPACE | Rule::WS => "a space",
        Rule::COMMENT => "a comment",
        Rule::ident_char => "a letter, digit or `_`",
        Rule::keyword => "a keyword",
        Rule::ident => "a name",
        Rule::rule_name => "the name of a scoring rule",
        Rule::code => "a standard or chapter code such as `TF-1`",
        Rule::number | Rule::integer => "a number",
        Rule::percent => "a percentage such as `5%`",
        Rule::signed => "a number",
        Rule::string | Rule::str_inner | Rule::str_escape => "a quoted text",
        Rule::lang => "a language code (`en`, `ru`, `kk`, `ky`, `hy`, `be`)",
        Rule::range => "a range such as `0..=100`",
        Rule::range_op => "`..`, `..=`, `<..` or `<..=`",
        Rule::expr
        | Rule::if_expr
        | Rule::or_expr
        | Rule::and_expr
        | Rule::not_expr
        | Rule::cmp_expr
        | Rule::coalesce
        | Rule::sum
        | Rule::product
        | Rule::unary
        | Rule::power
        | Rule::primary => "an expression",
        Rule::or_op => "`or`",
        Rule::and_op => "`and`",
        Rule::not_op => "`not`",
        Rule::cmp_op => "a comparison (`<`, `<=`, `==`, `!=`, `>=`, `>`)",
        Rule::coalesce_op => "`??`",
        Rule::add_op => "`+` or `-`",
        Rule::mul_op => "`*` or `/`",
        Rule::neg_op => "`-`",
        Rule::pow_op => "`^`",
        Rule::yes_lit => "`yes`",
        Rule::no_lit => "`no`",
        Rule::call => "a function call",
        Rule::arg => "an argument",
        Rule::arg_name => "the name of an argument",
        Rule::standard_ref => "`met(…)`, `level(…)` or `attainment(…)`",
        Rule::standard_fn => "`met`, `level` or `attainment`",
        Rule::bands_expr => "`bands(…) { … }`",
        Rule::band_block => "a block of bands `{ ..5 => 100, … }`",
        Rule::band_arm => "a band `RANGE => SCORE`",
        Rule::else_arm => "`else => …`",
        Rule::match_expr => "`match(…) { … }`",
        Rule::match_arm => "a match arm `\"option\" => …`",
        Rule::file => "a rule file",
        Rule::decl => "a declaration",
        Rule::methodology => "`methodology`",
        Rule::include => "`include`",
        Rule::question => "`question`",
        Rule::qtype => "a question type (`number`, `count`, `percent`, `hours`, `money`, `yesno`, `choice(…)`)",
        Rule::choice_type => "`choice(…)`",
        Rule::presence => "`required` or `optional`",
        Rule::group => "`group`",
        Rule::indicator => "`indicator`",
        Rule::area => "`area`",
        Rule::index => "`index`",
        Rule::chapter => "`chapter`",
        Rule::standard => "`standard`",
        Rule::recommend => "`recommend`",
        Rule::require => "`require`",
        Rule::prop_severity => "`severity`",
        Rule::body => "a body `{ … }`",
        Rule::body_item => "a label or a property",
        Rule::label => "a label such as `en \"…\"`",
        Rule::help => "`help`",
        Rule::note => "`note`",
        Rule::source => "`source`",
        Rule::prop_version => "`version`",
        Rule::prop_scale => "`scale`",
        Rule::prop_precision => "`precision`",
        Rule::prop_score_precision => "`score_precision`",
        Rule::prop_rounding => "`rounding`",
        Rule::prop_unit_name => "`unit_name`",
        Rule::prop_languages => "`languages`",
        Rule::prop_units => "`units`",
        Rule::prop_unit => "`unit`",
        Rule::unit_label => "a unit's label in a language (`en \"h\"`)",
        Rule::prop_range => "`range`",
        Rule::prop_option => "`option`",
        Rule::direction => "`higher_is_better` or `lower_is_better`",
        Rule::prop_weight => "`weight`",
        Rule::prop_aggregate => "`aggregate`",
        Rule::prop_missing => "`missing`",
        Rule::missing_arg => "an argument",
        Rule::arg_of => "`of 6` or `of weight`",
        Rule::of_weight => "`weight`",
        Rule::of_kw => "`of`",
        Rule::reported_only => "`reported_only`",
        Rule::prop_kind => "`kind`",
        Rule::prop_outside_scale => "`outside_scale`",
        Rule::prop_requires => "`requires`",
        Rule::prop_level => "`level`",
        Rule::prop_baseline => "`baseline`",
        Rule::prop_impute => "`impute`",
        Rule::prop_treat => "`treat`",
        Rule::prop_screen => "`screen`",
        Rule::prop_vary => "`vary`",
        Rule::vary_word => "`by`, `in` or `among`",
        Rule::vary_spec => "`by`, `in` or `among`",
        Rule::vary_alt => "an alternative",
        Rule::uncertainty => "`uncertainty`",
        Rule::prop_score => "`score`",
    }
}

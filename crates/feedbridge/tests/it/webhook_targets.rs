//! The SSRF guard over a table of addresses, parsed only (no DNS, no connection).

use feedbridge::domain::webhooks::target::{parse, TargetError};

const REFUSED: &[&str] = &[
    "https://127.0.0.1/",
    "https://127.1.2.3:8443/hook",
    "https://2130706433/",
    "https://0177.0.0.1/",
    "https://0x7f.0.0.1/",
    "https://0x7f000001/",
    "https://127.1/",
    "https://0/",
    "https://0.0.0.0/",
    "https://10.0.0.1/",
    "https://012.1.2.3/",
    "https://172.16.0.1/",
    "https://172.31.255.255/",
    "https://192.168.1.1/",
    "https://3232235777/",
    "https://169.254.169.254/latest/meta-data/",
    "https://100.64.0.1/",
    "https://224.0.0.1/",
    "https://255.255.255.255/",
    "https://240.0.0.1/",
    "https://[::1]/",
    "https://[::]/",
    "https://[::ffff:127.0.0.1]/",
    "https://[::ffff:7f00:1]/",
    "https://[::ffff:169.254.169.254]/",
    "https://[::ffff:10.0.0.1]/",
    "https://[::127.0.0.1]/",
    "https://[64:ff9b::a9fe:a9fe]/",
    "https://[2002:c0a8:0101::1]/",
    "https://[fe80::1]/",
    "https://[fc00::1]/",
    "https://[fd12:3456::1]/",
    "https://[ff02::1]/",
    "https://localhost/",
    "https://LOCALHOST./",
    "https://api.localhost/",
];

const ALLOWED: &[&str] = &[
    "https://93.184.215.14/hooks",
    "https://8.8.8.8/",
    "https://1.1.1.1:8443/x",
    "https://[2606:4700:4700::1111]/",
    "https://[::ffff:8.8.8.8]/",
    "https://hooks.example.com/feedbridge",
];

#[test]
fn private_loopback_link_local_and_reserved_addresses_are_refused() {
    assert!(REFUSED.len() >= 20);
    for url in REFUSED {
        match parse(url, false) {
            Err(TargetError::Forbidden(_)) => {}
            other => panic!("{url} should be refused as private, got {other:?}"),
        }
    }
}

#[test]
fn public_addresses_and_names_are_allowed() {
    for url in ALLOWED {
        assert!(parse(url, false).is_ok(), "{url} should be allowed");
    }
}

#[test]
fn the_private_targets_setting_lifts_the_address_rule_only() {
    assert!(parse("http://127.0.0.1:9000/hooks", true).is_ok());
    assert!(parse("https://[::1]/", true).is_ok());
    assert!(matches!(
        parse("http://8.8.8.8/", false),
        Err(TargetError::Invalid(_))
    ));
    assert!(matches!(
        parse("https://user:pw@8.8.8.8/", false),
        Err(TargetError::Invalid(_))
    ));
    assert!(matches!(
        parse("file:///etc/passwd", true),
        Err(TargetError::Invalid(_))
    ));
}

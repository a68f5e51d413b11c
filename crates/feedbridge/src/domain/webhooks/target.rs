//! Where a webhook may be sent: refuses URLs that reach into the institution's own network
//! (server-side request forgery), both when an endpoint is registered and again before each send.
//!
//! Host text is parsed by the WHATWG URL rules, which read every IPv4 spelling a resolver would
//! (`2130706433`, `0177.0.0.1`, `0x7f.1`) as the address it means. Names are resolved and every
//! address must be public; the sender then connects to an address checked here, never resolving
//! the name again, so a DNS answer cannot change between the check and the connection.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use url::Url;

/// Why a URL may not receive webhooks.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TargetError {
    #[error("{0}")]
    Invalid(String),
    #[error("{0}")]
    Forbidden(String),
}

/// A parsed endpoint URL.
#[derive(Debug, Clone)]
pub struct Target {
    pub url: Url,
    host: Host,
    port: u16,
}

#[derive(Debug, Clone)]
enum Host {
    Ip(IpAddr),
    Name(String),
}

/// Parses `text` and checks everything that can be checked without DNS.
pub fn parse(text: &str, allow_private: bool) -> Result<Target, TargetError> {
    let url = Url::parse(text.trim())
        .map_err(|e| TargetError::Invalid(format!("the URL is not valid: {e}")))?;
    match url.scheme() {
        "https" => {}
        "http" if allow_private => {}
        "http" => return Err(TargetError::Invalid("webhook URLs must use https".into())),
        other => {
            return Err(TargetError::Invalid(format!(
                "webhook URLs must use https, not {other}"
            )))
        }
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(TargetError::Invalid(
            "webhook URLs must not contain credentials".into(),
        ));
    }
    let host = match url.host_str() {
        Some(text) => host(text),
        None => return Err(TargetError::Invalid("the URL has no host".into())),
    };
    let port = url
        .port_or_known_default()
        .ok_or_else(|| TargetError::Invalid("the URL has no port".into()))?;
    let target = Target { url, host, port };
    if !allow_private {
        match &target.host {
            Host::Ip(ip) => check(*ip)?,
            Host::Name(name) if name == "localhost" || name.ends_with(".localhost") => {
                return Err(forbidden(name))
            }
            Host::Name(_) => {}
        }
    }
    Ok(target)
}

/// The URL parser has already normalised the host: IPv4 in dotted decimal, IPv6 in brackets.
fn host(text: &str) -> Host {
    let bare = text.trim_start_matches('[').trim_end_matches(']');
    match bare.parse::<IpAddr>() {
        Ok(ip) => Host::Ip(ip),
        Err(_) => Host::Name(text.trim_end_matches('.').to_ascii_lowercase()),
    }
}

impl Target {
    /// The host name to pin to a checked address, when the URL names one.
    pub fn name(&self) -> Option<&str> {
        match &self.host {
            Host::Name(name) => Some(name),
            Host::Ip(_) => None,
        }
    }

    /// Resolves the host; every address must be allowed, and the first one is returned.
    pub async fn resolve(&self, allow_private: bool) -> Result<SocketAddr, TargetError> {
        let addrs: Vec<SocketAddr> = match &self.host {
            Host::Ip(ip) => vec![SocketAddr::new(*ip, self.port)],
            Host::Name(name) => tokio::net::lookup_host((name.as_str(), self.port))
                .await
                .map_err(|e| TargetError::Invalid(format!("{name} does not resolve: {e}")))?
                .collect(),
        };
        if !allow_private {
            for addr in &addrs {
                check(addr.ip())?;
            }
        }
        addrs
            .first()
            .copied()
            .ok_or_else(|| TargetError::Invalid("the host has no address".into()))
    }
}

fn forbidden(what: impl std::fmt::Display) -> TargetError {
    TargetError::Forbidden(format!(
        "{what} is a private, loopback, link-local or reserved address; webhooks may only go to \
         public addresses"
    ))
}

fn check(ip: IpAddr) -> Result<(), TargetError> {
    if is_forbidden(ip) {
        Err(forbidden(ip))
    } else {
        Ok(())
    }
}

/// True for every address that is not plainly a public unicast one.
pub fn is_forbidden(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => v4_forbidden(v4),
        IpAddr::V6(v6) => v6_forbidden(v6),
    }
}

fn v4_forbidden(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    ip.is_unspecified()
        || ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_multicast()
        || ip.is_broadcast()
        || ip.is_documentation()
        || a == 0
        || a >= 240
        || (a == 100 && (64..128).contains(&b))
        || (a == 192 && b == 0 && c == 0)
        || (a == 198 && (b == 18 || b == 19))
}

fn v6_forbidden(ip: Ipv6Addr) -> bool {
    let s = ip.segments();
    if let Some(v4) = embedded_v4(ip) {
        return v4_forbidden(v4);
    }
    ip.is_unspecified()
        || ip.is_loopback()
        || ip.is_multicast()
        || (s[0] & 0xfe00) == 0xfc00
        || (s[0] & 0xffc0) == 0xfe80
        || (s[0] & 0xffc0) == 0xfec0
        || (s[0] == 0x2001 && s[1] == 0x0db8)
        || (s[0] == 0x2001 && s[1] == 0)
        || s[0] == 0x0100
}

/// The IPv4 address carried inside an IPv6 one (mapped, compatible, NAT64 or 6to4).
fn embedded_v4(ip: Ipv6Addr) -> Option<Ipv4Addr> {
    let s = ip.segments();
    let o = ip.octets();
    let tail = Ipv4Addr::new(o[12], o[13], o[14], o[15]);
    if let Some(v4) = ip.to_ipv4_mapped() {
        return Some(v4);
    }
    if s[..6] == [0; 6] && !ip.is_loopback() && !ip.is_unspecified() {
        return Some(tail);
    }
    if s[0] == 0x0064 && s[1] == 0xff9b {
        return Some(tail);
    }
    if s[0] == 0x2002 {
        return Some(Ipv4Addr::new(o[2], o[3], o[4], o[5]));
    }
    None
}

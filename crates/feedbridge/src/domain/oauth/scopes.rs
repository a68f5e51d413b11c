//! The scopes a recipient may ask for and the FDX data clusters they stand for.

use super::OAuthError;

/// An FDX data cluster a consent covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum DataCluster {
    /// Account list and descriptors.
    AccountBasic,
    /// Account details with balances.
    AccountDetailed,
    /// Posted transactions.
    Transactions,
}

impl DataCluster {
    /// Every cluster, with its scope.
    pub const ALL: [(Self, &'static str); 3] = [
        (Self::AccountBasic, "fdx:accountbasic:read"),
        (Self::AccountDetailed, "fdx:accountdetailed:read"),
        (Self::Transactions, "fdx:transactions:read"),
    ];

    /// The FDX name, as consents and the Consent API spell it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::AccountBasic => "ACCOUNT_BASIC",
            Self::AccountDetailed => "ACCOUNT_DETAILED",
            Self::Transactions => "TRANSACTIONS",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL
            .iter()
            .map(|(c, _)| *c)
            .find(|c| c.as_str() == name)
    }
}

/// Every scope the authorization server knows, for discovery.
pub const SUPPORTED: [&str; 5] = [
    "openid",
    "offline_access",
    "fdx:accountbasic:read",
    "fdx:accountdetailed:read",
    "fdx:transactions:read",
];

/// A parsed `scope` parameter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scopes {
    /// `offline_access`: a refresh token comes with the access token.
    pub offline: bool,
    pub clusters: Vec<DataCluster>,
}

impl Scopes {
    /// Parses a space-separated scope list: `openid` and at least one FDX scope are required,
    /// anything unknown is refused.
    pub fn parse(scope: &str) -> Result<Self, OAuthError> {
        let mut openid = false;
        let mut offline = false;
        let mut clusters = Vec::new();
        for word in scope.split(' ').filter(|w| !w.is_empty()) {
            match word {
                "openid" => openid = true,
                "offline_access" => offline = true,
                other => match DataCluster::ALL.iter().find(|(_, s)| *s == other) {
                    Some((cluster, _)) => clusters.push(*cluster),
                    None => {
                        return Err(OAuthError::InvalidScope(format!(
                            "unknown scope {other:?}; supported: {}",
                            SUPPORTED.join(" ")
                        )))
                    }
                },
            }
        }
        if !openid {
            return Err(OAuthError::InvalidScope("`openid` is required".into()));
        }
        if clusters.is_empty() {
            return Err(OAuthError::InvalidScope(
                "ask for at least one fdx: scope".into(),
            ));
        }
        clusters.sort();
        clusters.dedup();
        Ok(Self { offline, clusters })
    }

    /// The canonical scope string granted.
    pub fn to_scope(&self) -> String {
        let mut words = vec!["openid"];
        if self.offline {
            words.push("offline_access");
        }
        for (cluster, scope) in DataCluster::ALL {
            if self.clusters.contains(&cluster) {
                words.push(scope);
            }
        }
        words.join(" ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn openid_and_an_fdx_scope_are_required_and_unknown_ones_refused() {
        let s = Scopes::parse("fdx:transactions:read openid offline_access openid").unwrap();
        assert!(s.offline);
        assert_eq!(s.clusters, [DataCluster::Transactions]);
        assert_eq!(s.to_scope(), "openid offline_access fdx:transactions:read");
        for bad in ["fdx:transactions:read", "openid", "openid email", ""] {
            assert!(Scopes::parse(bad).is_err(), "{bad:?}");
        }
    }
}

//! Roles, their scopes, and the questions the server asks before every read or write.

use serde::{Deserialize, Serialize};

/// A role a user can hold. Business roles are scoped; the three admin roles are separated (三权分立).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// 系统管理员: accounts and system settings; sees no business data and no audit log.
    SystemAdmin,
    /// 安全管理员: grants and revokes roles, unlocks accounts.
    SecurityAdmin,
    /// 审计管理员: reads the audit log, nothing else.
    AuditAdmin,
    /// 市领导 (政委, 总链长, vice mayors): reads everything in the city.
    CityLeader,
    /// 总链办: reads and writes everything in the city's plan.
    GeneralOffice,
    /// 链长: reads its chain(s).
    ChainChief,
    /// 链条办: reads and writes its own chain.
    ChainOffice,
    /// 责任单位: updates what is assigned to its unit.
    ResponsibleUnit,
    /// 企业: keeps its own enterprise.
    Enterprise,
    /// 主办行: the lead bank of a chain.
    LeadBank,
    /// 联络员/专家: reads an assigned chain.
    Liaison,
}

impl Role {
    /// Every role in display order.
    pub const ALL: [Role; 11] = [
        Role::SystemAdmin,
        Role::SecurityAdmin,
        Role::AuditAdmin,
        Role::CityLeader,
        Role::GeneralOffice,
        Role::ChainChief,
        Role::ChainOffice,
        Role::ResponsibleUnit,
        Role::Enterprise,
        Role::LeadBank,
        Role::Liaison,
    ];

    /// The Chinese name shown to users.
    pub fn label(self) -> &'static str {
        match self {
            Role::SystemAdmin => "系统管理员",
            Role::SecurityAdmin => "安全管理员",
            Role::AuditAdmin => "审计管理员",
            Role::CityLeader => "市领导",
            Role::GeneralOffice => "总链办",
            Role::ChainChief => "链长",
            Role::ChainOffice => "链条办",
            Role::ResponsibleUnit => "责任单位",
            Role::Enterprise => "企业",
            Role::LeadBank => "主办行",
            Role::Liaison => "联络员/专家",
        }
    }

    /// The stored code of the role.
    pub fn code(self) -> &'static str {
        match self {
            Role::SystemAdmin => "system_admin",
            Role::SecurityAdmin => "security_admin",
            Role::AuditAdmin => "audit_admin",
            Role::CityLeader => "city_leader",
            Role::GeneralOffice => "general_office",
            Role::ChainChief => "chain_chief",
            Role::ChainOffice => "chain_office",
            Role::ResponsibleUnit => "responsible_unit",
            Role::Enterprise => "enterprise",
            Role::LeadBank => "lead_bank",
            Role::Liaison => "liaison",
        }
    }

    /// Reads a stored role code.
    pub fn from_code(code: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.code() == code)
    }

    /// One of the three separated admin roles.
    pub fn is_admin(self) -> bool {
        matches!(self, Role::SystemAdmin | Role::SecurityAdmin | Role::AuditAdmin)
    }

    /// Which scope a grant of this role must name.
    pub fn scope_kind(self) -> ScopeKind {
        match self {
            Role::ChainChief | Role::ChainOffice | Role::LeadBank | Role::Liaison => ScopeKind::Chain,
            Role::ResponsibleUnit => ScopeKind::Unit,
            Role::Enterprise => ScopeKind::Enterprise,
            _ => ScopeKind::City,
        }
    }
}

/// What a grant is limited to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScopeKind {
    /// The whole city.
    City,
    /// One chain.
    Chain,
    /// One responsible unit.
    Unit,
    /// One enterprise.
    Enterprise,
}

/// A role held by a user, with the chain, unit or enterprise it is limited to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Grant {
    /// The role.
    pub role: Role,
    /// The chain for chain-scoped roles.
    pub chain_id: Option<String>,
    /// The unit for unit-scoped roles.
    pub unit_id: Option<String>,
    /// The enterprise for enterprise-scoped roles.
    pub enterprise_id: Option<String>,
}

impl Grant {
    /// A city-wide grant.
    pub fn city(role: Role) -> Grant {
        Grant { role, chain_id: None, unit_id: None, enterprise_id: None }
    }

    /// A grant limited to one chain.
    pub fn chain(role: Role, chain_id: &str) -> Grant {
        Grant { chain_id: Some(chain_id.to_string()), ..Grant::city(role) }
    }

    /// Whether the grant names exactly the scope its role requires.
    pub fn is_well_scoped(&self) -> bool {
        let (c, u, e) = (self.chain_id.is_some(), self.unit_id.is_some(), self.enterprise_id.is_some());
        match self.role.scope_kind() {
            ScopeKind::City => !c && !u && !e,
            ScopeKind::Chain => c && !u && !e,
            ScopeKind::Unit => !c && u && !e,
            ScopeKind::Enterprise => !c && !u && e,
        }
    }
}

/// The signed-in user as every policy check sees it.
#[derive(Debug, Clone, Serialize)]
pub struct Principal {
    /// User id.
    pub user_id: String,
    /// Login name.
    pub username: String,
    /// Name shown in the UI.
    pub display_name: String,
    /// The city the user belongs to; a user never sees another city's data.
    pub city_id: String,
    /// The user's roles with their scopes.
    pub grants: Vec<Grant>,
    /// The parks whose enterprises the user reads: those of the park committees it acts for.
    pub parks: Vec<String>,
}

impl Principal {
    /// Whether the user holds `role` in any scope.
    pub fn has(&self, role: Role) -> bool {
        self.grants.iter().any(|g| g.role == role)
    }

    /// Whether the user holds any of `roles`.
    pub fn has_any(&self, roles: &[Role]) -> bool {
        roles.iter().any(|r| self.has(*r))
    }

    /// Reads everything of the plan in the city (leaders and the general office).
    pub fn reads_whole_city(&self) -> bool {
        self.has_any(&[Role::CityLeader, Role::GeneralOffice])
    }

    /// Holds any business (non-admin) role: may see the city's plan overview.
    pub fn is_business_user(&self) -> bool {
        self.grants.iter().any(|g| !g.role.is_admin())
    }

    /// The chains named by the user's chain-scoped grants.
    pub fn chains(&self) -> Vec<&str> {
        self.grants.iter().filter_map(|g| g.chain_id.as_deref()).collect()
    }

    /// May read a chain's own pages (leaders and the general office read every chain).
    pub fn can_read_chain(&self, chain_id: &str) -> bool {
        self.reads_whole_city() || self.chains().contains(&chain_id)
    }

    /// Holds one of `roles` for the chain `chain_id` (not through a grant on another chain).
    pub fn holds_on_chain(&self, roles: &[Role], chain_id: &str) -> bool {
        self.grants.iter().any(|g| roles.contains(&g.role) && g.chain_id.as_deref() == Some(chain_id))
    }

    /// May change a chain's data: the general office, or the chain's own office.
    pub fn can_write_chain(&self, chain_id: &str) -> bool {
        self.has(Role::GeneralOffice)
            || self.grants.iter().any(|g| g.role == Role::ChainOffice && g.chain_id.as_deref() == Some(chain_id))
    }

    /// May change an enterprise: its own users, the general office, or the office of a chain it is on.
    pub fn can_write_enterprise(&self, enterprise_id: &str, enterprise_chains: &[String]) -> bool {
        self.has(Role::GeneralOffice)
            || self
                .grants
                .iter()
                .any(|g| g.role == Role::Enterprise && g.enterprise_id.as_deref() == Some(enterprise_id))
            || enterprise_chains.iter().any(|c| {
                self.grants.iter().any(|g| g.role == Role::ChainOffice && g.chain_id.as_deref() == Some(c.as_str()))
            })
    }

    /// Reads the enterprises of a park: its committee's users (and whoever reads the whole city).
    pub fn reads_park(&self, park_id: &str) -> bool {
        self.reads_whole_city() || self.parks.iter().any(|p| p == park_id)
    }

    /// The enterprise an enterprise user acts for.
    pub fn own_enterprise(&self) -> Option<&str> {
        self.grants.iter().find(|g| g.role == Role::Enterprise).and_then(|g| g.enterprise_id.as_deref())
    }

    /// Works for the responsible unit itself (not merely over it, as the general office does).
    pub fn holds_unit(&self, unit_id: &str) -> bool {
        self.grants.iter().any(|g| g.role == Role::ResponsibleUnit && g.unit_id.as_deref() == Some(unit_id))
    }

    /// May act for a responsible unit (update what is assigned to it).
    pub fn acts_for_unit(&self, unit_id: &str) -> bool {
        self.has(Role::GeneralOffice)
            || self.grants.iter().any(|g| g.role == Role::ResponsibleUnit && g.unit_id.as_deref() == Some(unit_id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(grants: Vec<Grant>) -> Principal {
        Principal {
            user_id: "u".into(),
            username: "u".into(),
            display_name: "u".into(),
            parks: vec![],
            city_id: "c".into(),
            grants,
        }
    }

    #[test]
    fn chain_office_writes_only_its_chain() {
        let u = user(vec![Grant::chain(Role::ChainOffice, "a")]);
        assert!(u.can_read_chain("a") && u.can_write_chain("a"));
        assert!(!u.can_read_chain("b") && !u.can_write_chain("b"));
        assert!(u.can_write_enterprise("e1", &["a".into()]));
        assert!(!u.can_write_enterprise("e1", &["b".into()]));
    }

    #[test]
    fn leader_reads_all_writes_nothing() {
        let u = user(vec![Grant::city(Role::CityLeader)]);
        assert!(u.can_read_chain("x"));
        assert!(!u.can_write_chain("x"));
        assert!(!u.can_write_enterprise("e", &[]));
    }

    #[test]
    fn enterprise_user_only_own() {
        let g = Grant { enterprise_id: Some("e1".into()), ..Grant::city(Role::Enterprise) };
        assert!(g.is_well_scoped());
        let u = user(vec![g]);
        assert!(u.can_write_enterprise("e1", &[]));
        assert!(!u.can_write_enterprise("e2", &[]));
        assert!(!u.can_read_chain("a"));
    }

    #[test]
    fn admins_see_no_business_data() {
        let u = user(vec![Grant::city(Role::SystemAdmin)]);
        assert!(!u.is_business_user());
        assert!(!u.can_read_chain("a"));
        assert!(!Grant::city(Role::ChainOffice).is_well_scoped());
    }

    #[test]
    fn role_codes_round_trip() {
        for r in Role::ALL {
            assert_eq!(Role::from_code(r.code()), Some(r));
        }
    }
}

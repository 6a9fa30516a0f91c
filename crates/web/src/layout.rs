//! What every page shares: title, city, user, navigation (only what the role may use), CSRF token.

use crate::auth::CurrentUser;
use chainchief_domain::roles::Role;

/// One link of the left rail.
pub struct NavItem {
    /// Text.
    pub label: &'static str,
    /// Target.
    pub href: &'static str,
    /// This is the page shown.
    pub current: bool,
}

/// A group of the left rail.
pub struct NavGroup {
    /// Heading.
    pub heading: &'static str,
    /// Links.
    pub items: Vec<NavItem>,
}

/// One step of the breadcrumb.
pub struct Crumb {
    /// Text.
    pub label: String,
    /// Target (none for the current page).
    pub href: Option<String>,
}

/// The frame of a signed-in page.
pub struct Layout {
    /// Page name (the `<title>` is "页面 · 城市 · 链长通").
    pub title: String,
    /// City name.
    pub city: String,
    /// User's name.
    pub user_name: String,
    /// User's roles in words.
    pub role_label: String,
    /// The general office as the city's plan calls it (总链办, 市链办, 县链办 …).
    pub office: String,
    /// The city's people, to name authors by name and unit.
    pub people: chainchief_app::accounts::People,
    /// CSRF token for forms.
    pub csrf: String,
    /// Left rail.
    pub nav: Vec<NavGroup>,
    /// Breadcrumb.
    pub crumbs: Vec<Crumb>,
    /// A message after an action.
    pub flash: Option<String>,
    /// Shows the search box (business users).
    pub searchable: bool,
}

impl Layout {
    /// The person behind a recorded login name, by name and unit.
    pub fn who(&self, username: &str) -> String {
        self.people.who(username)
    }

    /// The frame for `user` on the page `title` at `path`.
    pub fn new(user: &CurrentUser, city: &str, title: impl Into<String>, path: &str) -> Layout {
        let p = &user.principal;
        let mut roles: Vec<&str> = p.grants.iter().map(|g| g.role.label()).collect();
        roles.dedup();
        let item = |label, href: &'static str| NavItem {
            label,
            href,
            current: if ["/", "/enterprises", "/figures"].contains(&href) {
                path == href
            } else {
                path.starts_with(href)
            },
        };
        let mut nav = Vec::new();
        if p.is_business_user() {
            let mut overview = if p.own_enterprise().is_some() {
                vec![item("我的企业", "/my")]
            } else {
                vec![item("首页", "/")]
            };
            if p.reads_whole_city() || p.has_any(&[Role::ChainChief, Role::ChainOffice]) {
                overview.push(item("驾驶舱", "/cockpit"));
            }
            nav.push(NavGroup { heading: "概览", items: overview });
            nav.push(NavGroup {
                heading: "产业链",
                items: vec![item("产业链", "/chains"), item("创新资源", "/innovation")],
            });
            nav.push(NavGroup {
                heading: "企业",
                items: vec![item("企业库", "/enterprises"), item("后备库", "/enterprises/reserve")],
            });
            let mut figures = vec![item("数据填报", "/figures")];
            if p.has_any(&[Role::GeneralOffice, Role::ChainOffice]) {
                figures.push(item("报送情况", "/figures/status"));
                figures.push(item("导入导出", "/figures/import"));
            }
            if p.has(Role::GeneralOffice) {
                figures.push(item("消息推送", "/pushes"));
            }
            nav.push(NavGroup { heading: "目标数据", items: figures });
            if p.reads_whole_city() || p.has_any(&[Role::ChainChief, Role::ChainOffice, Role::ResponsibleUnit]) {
                nav.push(NavGroup {
                    heading: "招商与项目",
                    items: vec![
                        item("招商目标库", "/investment/targets"),
                        item("项目", "/projects"),
                        item("龙虎榜", "/projects/board"),
                        item("三同时", "/projects/safety"),
                        item("活动与任务量", "/investment/events"),
                    ],
                });
            }
            let mut work = Vec::new();
            if p.reads_whole_city() || p.has_any(&[Role::ChainChief, Role::ChainOffice]) {
                work.push(item("月报与调度", "/dispatch"));
            }
            work.extend([item("要素保障", "/requests"), item("惠企政策", "/policies")]);
            if p.reads_whole_city() || p.has(Role::ResponsibleUnit) {
                work.push(item("资金池", "/funds"));
            }
            work.extend([
                item("人才池", "/talent"),
                item("会议与议定事项", "/meetings"),
                item("任务督办", "/tasks"),
                item("问题督办", "/problems"),
                item("供需对接", "/supply"),
            ]);
            nav.push(NavGroup { heading: "督办与对接", items: work });
            nav.push(NavGroup {
                heading: "组织与规划",
                items: if p.reads_whole_city() || p.has_any(&[Role::ChainChief, Role::ChainOffice]) {
                    vec![
                        item("组织架构", "/org"),
                        item("园区", "/parks"),
                        item("目标与举措", "/plan"),
                        item("链条办考核", "/assessment"),
                    ]
                } else {
                    vec![item("组织架构", "/org"), item("园区", "/parks"), item("目标与举措", "/plan")]
                },
            });
        }
        let mut system = Vec::new();
        if p.has_any(&[Role::SystemAdmin, Role::SecurityAdmin]) {
            system.push(item("用户与角色", "/admin/users"));
        }
        if p.has(Role::AuditAdmin) {
            system.push(item("审计日志", "/audit"));
        }
        if !system.is_empty() {
            nav.push(NavGroup { heading: "系统", items: system });
        }
        let title = title.into();
        Layout {
            crumbs: vec![Crumb { label: title.clone(), href: None }],
            title,
            city: city.to_string(),
            user_name: p.display_name.clone(),
            role_label: roles.join("、"),
            office: chainchief_domain::roles::Role::GeneralOffice.label().to_string(),
            people: chainchief_app::accounts::People::default(),
            csrf: user.csrf.clone(),
            nav,
            flash: None,
            searchable: p.is_business_user(),
        }
    }

    /// Puts parent pages before the current one in the breadcrumb.
    pub fn with_parents(mut self, parents: &[(&str, &str)]) -> Layout {
        let mut crumbs: Vec<Crumb> =
            parents.iter().map(|(l, h)| Crumb { label: l.to_string(), href: Some(h.to_string()) }).collect();
        crumbs.append(&mut self.crumbs);
        self.crumbs = crumbs;
        self
    }

    /// Shows a message from a fixed list (never text from the URL).
    pub fn with_flash(mut self, code: Option<&str>) -> Layout {
        self.flash = code.and_then(flash_text).map(str::to_string);
        self
    }
}

fn flash_text(code: &str) -> Option<&'static str> {
    Some(match code {
        "saved" => "已保存。",
        "created" => "已创建。",
        "disabled" => "账号已停用，其登录会话已全部结束。",
        "enabled" => "账号已启用。",
        "password" => "密码已重置，该用户的登录会话已全部结束。",
        "granted" => "已授予角色。",
        "revoked" => "已收回角色。",
        "accepted" => "已通过，导入的内容已写入企业库。",
        "rejected" => "已退回，导入的内容未写入。",
        _ => return None,
    })
}

//! End-to-end tests of the real `chainchief` binary, on SQLite and (when configured) PostgreSQL.

mod harness;

mod admin;
mod architecture;
mod assessment;
mod audit;
mod auth;
mod backup;
mod board;
mod browser;
mod browser_figures;
mod browser_investment;
mod chains;
mod clock;
mod dispatch;
mod durability;
mod figures;
mod import;
mod investment;
mod library;
mod maps;
mod meetings;
mod ops;
mod plan;
mod policy;
mod problems;
mod pushes;
mod real_sheets;
mod reports;
mod safety;
mod search;
mod second_city;
mod structure;
mod supply;
mod tasks;
mod values;

#include "compat_views/roles.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <openssl/sha.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <set>
#include <sstream>

#include "common/error.h"
#include "common/identifier.h"
#include "common/strings.h"

namespace my2pg {
namespace {

// What a legacy view can be granted, in the order GRANT lists them.
constexpr const char* kCarried[] = {"SELECT", "INSERT", "UPDATE", "DELETE"};

bool IsCarried(const std::string& privilege) {
  return std::find(std::begin(kCarried), std::end(kCarried), privilege) != std::end(kCarried);
}

// 'user'@'host' as MySQL shows a grantee; a MariaDB role has no host.
std::string AccountName(const SourceGrant& grant) {
  std::string name = "'" + grant.user + "'";
  return grant.host.empty() ? name : name + "@'" + grant.host + "'";
}

// Why a MySQL user gets no role of that name, or "".
std::string ReservedReason(const std::string& role) {
  if (role.empty()) return "the anonymous account has no PostgreSQL role";
  if (role == "public" || role == "none" || role.rfind("pg_", 0) == 0) {
    return QuotePgIdentifier(role) + " is a role name PostgreSQL reserves";
  }
  return "";
}

std::string Base64(const unsigned char* data, size_t size) {
  std::string out(4 * ((size + 2) / 3) + 1, '\0');
  out.resize(EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), data, static_cast<int>(size)));
  return out;
}

}  // namespace

RolePlan PlanRoles(const SchemaPlan& plan) {
  const SourceCatalog& catalog = plan.catalog;
  if (!catalog.grants) {
    throw Error(ErrorCategory::kUsage, "--roles from-source: the privileges on " + catalog.database +
                                           " were not read" +
                                           (catalog.grants_problem.empty() ? "" : ": " + catalog.grants_problem))
        .WithDatabase(catalog.database);
  }
  // Source tables that have a view: those the rules migrate.
  std::set<std::string> with_view;
  for (const TargetTable& table : plan.tables) with_view.insert(plan.source_of(table).name);

  RolePlan result;
  std::map<std::string, std::set<std::string>> users_of;  // role -> MySQL users
  for (const SourceGrant& grant : *catalog.grants) users_of[TruncateIdentifier(grant.user)].insert(grant.user);
  std::map<std::string, LegacyRole> roles;
  std::set<std::string> noted;  // accounts already named in a note about the account
  for (const SourceGrant& grant : *catalog.grants) {
    const std::string account = AccountName(grant);
    const std::string role = TruncateIdentifier(grant.user);
    std::string reason = ReservedReason(role);
    if (reason.empty() && users_of[role].size() > 1) {
      reason = "users " + Join({users_of[role].begin(), users_of[role].end()}, ", ") + " would all be role " +
               QuotePgIdentifier(role) + " once cut to 63 bytes";
    }
    if (!reason.empty()) {
      if (noted.insert(account).second) result.notes.push_back("not migrated: " + account + ": " + reason);
      continue;
    }
    const std::string where = grant.table.empty() ? "on " + catalog.database : "on table " + grant.table;
    std::vector<std::string> others;
    for (const std::string& privilege : grant.privileges) {
      if (!IsCarried(privilege)) others.push_back(privilege);
    }
    if (!others.empty()) result.notes.push_back("not migrated: " + account + " " + where + ": " + Join(others, ", "));
    if (others.size() == grant.privileges.size()) continue;
    if (!grant.table.empty() && with_view.count(grant.table) == 0) {
      result.notes.push_back("not migrated: " + account + " " + where + ": " +
                             (catalog.FindTable(grant.table) ? "the table is not migrated, it has no view"
                                                             : "no such table"));
      continue;
    }
    LegacyRole& legacy = roles[role];
    legacy.name = role;
    if (std::find(legacy.accounts.begin(), legacy.accounts.end(), account) == legacy.accounts.end()) {
      legacy.accounts.push_back(account);
    }
    for (const TargetTable& table : plan.tables) {
      const std::string& source = plan.source_of(table).name;
      if (!grant.table.empty() && grant.table != source) continue;
      std::vector<std::string>& held = legacy.privileges[source];
      for (const char* privilege : kCarried) {
        bool granted = std::find(grant.privileges.begin(), grant.privileges.end(), privilege) != grant.privileges.end();
        if (granted && std::find(held.begin(), held.end(), privilege) == held.end()) held.push_back(privilege);
      }
      // Keep the canonical order whatever order the grants came in.
      std::sort(held.begin(), held.end(), [](const std::string& a, const std::string& b) {
        auto rank = [](const std::string& p) { return std::find(std::begin(kCarried), std::end(kCarried), p); };
        return rank(a) < rank(b);
      });
    }
  }
  for (auto& [name, role] : roles) {
    result.notes.push_back("role " + QuotePgIdentifier(name) + ": from " + Join(role.accounts, ", "));
    result.roles.push_back(std::move(role));
  }
  return result;
}

std::string ScramSha256Secret(const std::string& password, const std::string& salt, int iterations) {
  unsigned char salted[SHA256_DIGEST_LENGTH], client_key[SHA256_DIGEST_LENGTH], stored_key[SHA256_DIGEST_LENGTH],
      server_key[SHA256_DIGEST_LENGTH];
  unsigned int length = 0;
  const auto* salt_bytes = reinterpret_cast<const unsigned char*>(salt.data());
  if (PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()), salt_bytes, static_cast<int>(salt.size()),
                        iterations, EVP_sha256(), sizeof(salted), salted) != 1 ||
      HMAC(EVP_sha256(), salted, sizeof(salted), reinterpret_cast<const unsigned char*>("Client Key"), 10, client_key,
           &length) == nullptr ||
      HMAC(EVP_sha256(), salted, sizeof(salted), reinterpret_cast<const unsigned char*>("Server Key"), 10, server_key,
           &length) == nullptr ||
      SHA256(client_key, sizeof(client_key), stored_key) == nullptr) {
    throw Error(ErrorCategory::kInternal, "SCRAM-SHA-256: OpenSSL failed");
  }
  return "SCRAM-SHA-256$" + std::to_string(iterations) + ":" + Base64(salt_bytes, salt.size()) + "$" +
         Base64(stored_key, sizeof(stored_key)) + ":" + Base64(server_key, sizeof(server_key));
}

RolePasswords LoadRolePasswords(const std::string& path) {
  struct stat status;
  if (stat(path.c_str(), &status) != 0) throw Error(ErrorCategory::kUsage, "--role-passwords: cannot read " + path);
  if ((status.st_mode & S_IRWXO) != 0) {
    char mode[8];
    std::snprintf(mode, sizeof(mode), "%04o", static_cast<unsigned>(status.st_mode & 07777));
    throw Error(ErrorCategory::kUsage, "--role-passwords: " + path + " holds passwords and every user may access it "
                                       "(mode " + mode + "): chmod o-rwx " + path);
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(ErrorCategory::kUsage, "--role-passwords: cannot read " + path);
  RolePasswords passwords;
  std::string line;
  for (int number = 1; std::getline(in, line); ++number) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const size_t start = line.find_first_not_of(" \t");
    if (start == std::string::npos || line[start] == '#') continue;
    const size_t role_end = std::min(line.find_first_of(" \t", start), line.size());
    const std::string role = TruncateIdentifier(line.substr(start, role_end - start));
    const std::string where = path + ":" + std::to_string(number) + ": role " + QuotePgIdentifier(role);
    const size_t password_start = line.find_first_not_of(" \t", role_end);
    if (password_start == std::string::npos) throw Error(ErrorCategory::kUsage, where + " has no password");
    const std::string password = line.substr(password_start);
    for (unsigned char c : password) {
      if (c < 0x20 || c >= 0x7f) {
        // PostgreSQL prepares other passwords with SASLprep, which my2pg does not.
        throw Error(ErrorCategory::kUsage, where + ": the password holds a character that is not printable ASCII");
      }
    }
    if (passwords.count(role)) throw Error(ErrorCategory::kUsage, where + " is given twice");
    unsigned char salt[16];
    if (RAND_bytes(salt, sizeof(salt)) != 1) throw Error(ErrorCategory::kInternal, "no random bytes for a salt");
    passwords[role] = ScramSha256Secret(password, std::string(reinterpret_cast<char*>(salt), sizeof(salt)));
  }
  return passwords;
}

void AppendViewGrants(const std::string& role, const std::string& legacy_schema,
                      const std::vector<std::pair<const LegacyView*, std::vector<std::string>>>& privileges,
                      std::vector<DdlStatement>& out) {
  const std::string quoted = QuotePgIdentifier(role);
  out.push_back({"", "GRANT USAGE ON SCHEMA " + QuotePgIdentifier(legacy_schema) + " TO " + quoted});
  // Each view by name: the schema may hold objects that are not my2pg's.
  for (const auto& [view, granted] : privileges) {
    out.push_back({"", "GRANT " + Join(granted, ", ") + " ON " + view->qualified + " TO " + quoted});
  }
  // SELECT on a sequence allows lastval()/currval() after an INSERT through
  // a view, as LAST_INSERT_ID() did; not nextval or setval.
  for (const auto& [view, granted] : privileges) {
    if (std::find(granted.begin(), granted.end(), "INSERT") == granted.end()) continue;
    for (const std::string& sequence : view->sequences) {
      out.push_back({"", "DO " + DollarQuote(" BEGIN EXECUTE format('GRANT SELECT ON SEQUENCE %s TO %I', " + sequence +
                                             ", " + QuotePgLiteral(role) + "); END ")});
    }
  }
}

std::vector<DdlStatement> BuildRoleStatements(const RolePlan& roles, const std::string& legacy_schema,
                                              const std::vector<LegacyView>& views, const RolePasswords& passwords) {
  std::vector<DdlStatement> out;
  for (const LegacyRole& role : roles.roles) {
    std::vector<std::pair<const LegacyView*, std::vector<std::string>>> privileges;
    for (const LegacyView& view : views) {
      auto held = role.privileges.find(view.source_table);
      if (held != role.privileges.end() && !held->second.empty()) privileges.push_back({&view, held->second});
    }
    if (privileges.empty()) continue;
    const std::string quoted = QuotePgIdentifier(role.name);
    auto password = passwords.find(role.name);
    // Roles are cluster-wide: another database of the fleet (or an earlier
    // run) may have made it, even at this moment (unique_violation).
    if (password == passwords.end()) {
      out.push_back({"", "DO " + DollarQuote("\nBEGIN\n  CREATE ROLE " + quoted +
                                             " NOLOGIN;\n"
                                             "EXCEPTION WHEN duplicate_object OR unique_violation THEN\n"
                                             "  NULL;\n"
                                             "END\n")});
    } else {
      // Two databases setting one role's password at once make PostgreSQL
      // fail one with "tuple concurrently updated" (internal_error): retried.
      const std::string secret = QuotePgLiteral(password->second);
      out.push_back({"", "DO " + DollarQuote("\nBEGIN\n"
                                             "  FOR attempt IN 1..5 LOOP\n"
                                             "    BEGIN\n"
                                             "      BEGIN\n"
                                             "        CREATE ROLE " + quoted + " LOGIN PASSWORD " + secret + ";\n"
                                             "      EXCEPTION WHEN duplicate_object OR unique_violation THEN\n"
                                             "        ALTER ROLE " + quoted + " LOGIN PASSWORD " + secret + ";\n"
                                             "      END;\n"
                                             "      RETURN;\n"
                                             "    EXCEPTION WHEN internal_error THEN\n"
                                             "      IF attempt = 5 THEN RAISE; END IF;\n"
                                             "      PERFORM pg_catalog.pg_sleep(0.1 * attempt);\n"
                                             "    END;\n"
                                             "  END LOOP;\n"
                                             "END\n")});
    }
    AppendViewGrants(role.name, legacy_schema, privileges, out);
  }
  return out;
}

}  // namespace my2pg

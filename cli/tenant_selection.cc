#include "cli/tenant_selection.h"

#include <algorithm>

#include <date/tz.h>
#include <re2/re2.h>

#include <sstream>

#include "common/error.h"
#include "common/suggest.h"

namespace my2pg {
namespace {

bool LikeMatches(const char* pattern, const char* name) {
  for (; *pattern != '\0'; ++pattern) {
    if (*pattern == '%') {
      for (const char* rest = name;; ++rest) {
        if (LikeMatches(pattern + 1, rest)) return true;
        if (*rest == '\0') return false;
      }
    }
    if (*name == '\0') return false;
    if (*pattern == '\\' && pattern[1] != '\0') {
      ++pattern;
      if (*pattern != *name) return false;
    } else if (*pattern != '_' && *pattern != *name) {
      return false;
    }
    ++name;
  }
  return *name == '\0';
}

}  // namespace

bool DatabaseNameMatches(const std::string& pattern, const std::string& name) {
  if (pattern.size() >= 2 && pattern.front() == '/' && pattern.back() == '/') {
    RE2 regex(pattern.substr(1, pattern.size() - 2), RE2::Quiet);
    if (!regex.ok()) throw Error(ErrorCategory::kUsage, "bad regex " + pattern + ": " + regex.error());
    return RE2::PartialMatch(name, regex);
  }
  return LikeMatches(pattern.c_str(), name.c_str());
}

std::vector<std::string> SelectDatabases(const std::vector<std::string>& available,
                                         const std::vector<std::string>& patterns,
                                         const std::vector<std::string>& excludes) {
  std::vector<std::string> selected;
  for (const std::string& name : available) {
    bool wanted = patterns.empty();
    for (const auto& pattern : patterns) wanted = wanted || DatabaseNameMatches(pattern, name);
    for (const auto& exclude : excludes) wanted = wanted && !DatabaseNameMatches(exclude, name);
    if (wanted) selected.push_back(name);
  }
  return selected;
}

std::vector<TenantSpec> ParseDatabasesFile(const std::string& text, const std::string& origin) {
  std::vector<TenantSpec> tenants;
  std::istringstream lines(text);
  std::string line;
  for (int number = 1; std::getline(lines, line); ++number) {
    auto fail = [&](const std::string& what) {
      throw Error(ErrorCategory::kUsage, origin + ":" + std::to_string(number) + ": " + what);
    };
    size_t comment = line.find('#');
    if (comment != std::string::npos) line.resize(comment);
    std::istringstream words(line);
    TenantSpec tenant;
    if (!(words >> tenant.database)) continue;
    std::string setting;
    while (words >> setting) {
      size_t eq = setting.find('=');
      std::string key = setting.substr(0, eq);
      if (eq == std::string::npos) fail("expected key=value, got '" + setting + "'");
      if (key != "timezone") fail("unknown setting '" + key + "' (expected timezone=ZONE)");
      tenant.timezone = setting.substr(eq + 1);
      try {
        date::locate_zone(tenant.timezone);
      } catch (const std::exception&) {
        fail("unknown time zone '" + tenant.timezone + "'");
      }
    }
    for (const auto& other : tenants) {
      if (other.database == tenant.database) fail("database '" + tenant.database + "' is listed twice");
    }
    tenants.push_back(std::move(tenant));
  }
  if (tenants.empty()) throw Error(ErrorCategory::kUsage, origin + ": lists no database");
  return tenants;
}

std::vector<TenantSpec> ChooseTenants(const std::vector<std::string>& available,
                                      const std::vector<std::string>& databases,
                                      const std::vector<std::string>& excludes, const std::string& databases_file,
                                      const std::string& file_text) {
  std::vector<TenantSpec> tenants;
  if (!databases_file.empty()) {
    tenants = ParseDatabasesFile(file_text, databases_file);
    for (const TenantSpec& tenant : tenants) {
      if (std::find(available.begin(), available.end(), tenant.database) == available.end()) {
        throw Error(ErrorCategory::kUsage, databases_file + ": no source database '" + tenant.database + "'" +
                                               DidYouMean(tenant.database, available));
      }
    }
  } else {
    if (databases.empty()) throw Error(ErrorCategory::kUsage, "give --databases or --databases-file");
    for (const std::string& name : SelectDatabases(available, databases, excludes)) tenants.push_back({name, ""});
  }
  if (tenants.empty()) throw Error(ErrorCategory::kUsage, "no source database matches --databases");
  return tenants;
}

}  // namespace my2pg

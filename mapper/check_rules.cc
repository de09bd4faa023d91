#include "mapper/check_rules.h"

#include "common/error.h"
#include "common/suggest.h"
#include "mapper/mapper.h"

namespace my2pg {

RuleProblems CheckRules(const Rules& rules, const std::string& file, const SourceCatalog& catalog) {
  RuleProblems problems;
  std::vector<std::string> table_names;
  for (const auto& table : catalog.tables) table_names.push_back(table.name);

  for (const TableRule& rule : rules.tables) {
    if (rule.origin.file != file) continue;
    std::vector<const SourceTable*> matched;
    for (const auto& table : catalog.tables) {
      if (rule.match.Matches(table.name)) matched.push_back(&table);
    }
    if (matched.empty()) {
      std::string where = rule.origin.Where("/match");
      if (rule.match.is_regex()) {
        problems.warnings.push_back(where + ": " + rule.match.text() + " matches no table of " + catalog.database);
      } else {
        problems.errors.push_back(where + ": no table '" + rule.match.text() + "' in " + catalog.database +
                                  DidYouMean(rule.match.text(), table_names));
      }
      continue;
    }
    for (const ColumnRule& column_rule : rule.columns) {
      for (const SourceTable* table : matched) {
        bool found = false;
        std::vector<std::string> column_names;
        for (const auto& column : table->columns) {
          column_names.push_back(column.name);
          found = found || column_rule.match.Matches(column.name);
        }
        if (found) continue;
        std::string where = column_rule.origin.Where("/match");
        if (column_rule.match.is_regex()) {
          problems.warnings.push_back(where + ": " + column_rule.match.text() + " matches no column of " + table->name);
        } else {
          problems.errors.push_back(where + ": table " + table->name + " has no column '" + column_rule.match.text() +
                                    "'" + DidYouMean(column_rule.match.text(), column_names));
        }
      }
    }
  }
  for (const TypeRule& rule : rules.types) {
    if (rule.origin.file != file || !(rule.table || rule.column)) continue;
    bool used = false;
    for (const auto& table : catalog.tables) {
      for (const auto& column : table.columns) {
        used = used || ((!rule.table || rule.table->Matches(table.name)) &&
                        (!rule.column || rule.column->Matches(column.name)));
      }
    }
    if (!used) problems.warnings.push_back(rule.origin.Where("/match") + ": matches no column of " + catalog.database);
  }
  if (problems.errors.empty()) {
    try {
      MapCatalog(catalog, rules);
    } catch (const Error& e) {
      problems.errors.push_back(e.what());
    }
  }
  return problems;
}

}  // namespace my2pg

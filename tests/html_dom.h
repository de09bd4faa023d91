// A strict little HTML parser for the tests of the HTML report: the page is
// written as well-formed markup (every element closed, attributes quoted,
// void elements self-closed), so anything else is a defect and ParseHtml
// fails with where. Entities are decoded; <script> and <style> hold raw text.
#ifndef MY2PG_TESTS_HTML_DOM_H_
#define MY2PG_TESTS_HTML_DOM_H_

#include <functional>
#include <map>
#include <memory>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace my2pg {

struct HtmlNode {
  std::string tag;  // "" for a text node
  std::map<std::string, std::string> attributes;
  std::string text;  // text nodes only, entities decoded
  std::vector<std::unique_ptr<HtmlNode>> children;

  // The text of this node and everything under it.
  std::string Text() const {
    if (tag.empty()) return text;
    std::string out;
    for (const auto& child : children) out += child->Text();
    return out;
  }
  std::string Attribute(const std::string& name) const {
    auto it = attributes.find(name);
    return it == attributes.end() ? "" : it->second;
  }
  // Every element under this one (itself included) that "match" accepts, in document order.
  void Collect(const std::function<bool(const HtmlNode&)>& match, std::vector<const HtmlNode*>& out) const {
    if (!tag.empty() && match(*this)) out.push_back(this);
    for (const auto& child : children) child->Collect(match, out);
  }
  std::vector<const HtmlNode*> All(const std::string& name) const {
    std::vector<const HtmlNode*> out;
    Collect([&name](const HtmlNode& node) { return node.tag == name; }, out);
    return out;
  }
  const HtmlNode* ById(const std::string& id) const {
    std::vector<const HtmlNode*> out;
    Collect([&id](const HtmlNode& node) { return node.Attribute("id") == id; }, out);
    return out.empty() ? nullptr : out[0];
  }
  // The cells' texts of each row of a table's <tbody>.
  std::vector<std::vector<std::string>> BodyRows() const {
    std::vector<std::vector<std::string>> rows;
    for (const HtmlNode* body : All("tbody")) {
      for (const auto& row : body->children) {
        if (row->tag != "tr") continue;
        std::vector<std::string> cells;
        for (const auto& cell : row->children) {
          if (cell->tag == "td" || cell->tag == "th") cells.push_back(cell->Text());
        }
        rows.push_back(cells);
      }
    }
    return rows;
  }
};

namespace html_dom_internal {

inline std::string Utf8(unsigned long code) {
  std::string out;
  if (code < 0x80) {
    out += static_cast<char>(code);
  } else if (code < 0x800) {
    out += static_cast<char>(0xC0 | (code >> 6));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else if (code < 0x10000) {
    out += static_cast<char>(0xE0 | (code >> 12));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (code >> 18));
    out += static_cast<char>(0x80 | ((code >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  }
  return out;
}

inline std::string Decode(const std::string& text, size_t offset) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '<') throw std::runtime_error("raw '<' in text at " + std::to_string(offset + i));
    if (text[i] != '&') {
      out += text[i];
      continue;
    }
    size_t end = text.find(';', i);
    if (end == std::string::npos) throw std::runtime_error("bare '&' at " + std::to_string(offset + i));
    std::string name = text.substr(i + 1, end - i - 1);
    static const std::map<std::string, std::string> kNamed = {
        {"amp", "&"}, {"lt", "<"}, {"gt", ">"}, {"quot", "\""}, {"apos", "'"}, {"nbsp", "\xC2\xA0"}};
    if (!name.empty() && name[0] == '#') {
      out += Utf8(name.size() > 1 && name[1] == 'x' ? std::stoul(name.substr(2), nullptr, 16)
                                                   : std::stoul(name.substr(1)));
    } else if (kNamed.count(name) != 0) {
      out += kNamed.at(name);
    } else {
      throw std::runtime_error("unknown entity &" + name + "; at " + std::to_string(offset + i));
    }
    i = end;
  }
  return out;
}

}  // namespace html_dom_internal

// The document as a tree under a root node with tag "#document". Throws
// std::runtime_error for markup that is not well formed.
inline std::unique_ptr<HtmlNode> ParseHtml(const std::string& html) {
  using html_dom_internal::Decode;
  static const std::set<std::string> kVoid = {"meta", "br", "input", "hr", "img", "link", "col", "wbr"};
  auto root = std::make_unique<HtmlNode>();
  root->tag = "#document";
  std::vector<HtmlNode*> open = {root.get()};
  size_t i = 0;
  auto fail = [&i](const std::string& what) { throw std::runtime_error(what + " at " + std::to_string(i)); };
  while (i < html.size()) {
    if (html[i] != '<') {
      size_t end = html.find('<', i);
      if (end == std::string::npos) end = html.size();
      auto node = std::make_unique<HtmlNode>();
      node->text = Decode(html.substr(i, end - i), i);
      open.back()->children.push_back(std::move(node));
      i = end;
      continue;
    }
    if (html.compare(i, 4, "<!--") == 0) {
      size_t end = html.find("-->", i);
      if (end == std::string::npos) fail("unclosed comment");
      i = end + 3;
      continue;
    }
    if (html.compare(i, 2, "<!") == 0) {
      i = html.find('>', i) + 1;
      continue;
    }
    if (html.compare(i, 2, "</") == 0) {
      size_t end = html.find('>', i);
      std::string name = html.substr(i + 2, end - i - 2);
      if (open.size() < 2 || open.back()->tag != name) {
        fail("</" + name + "> closes <" + open.back()->tag + ">");
      }
      open.pop_back();
      i = end + 1;
      continue;
    }
    // A start tag: <name attr="value" ...> or .../>
    size_t p = i + 1;
    auto node = std::make_unique<HtmlNode>();
    while (p < html.size() && (isalnum(static_cast<unsigned char>(html[p])) || html[p] == '-')) node->tag += html[p++];
    if (node->tag.empty()) fail("bad tag");
    bool self_closed = false;
    while (true) {
      while (p < html.size() && isspace(static_cast<unsigned char>(html[p]))) ++p;
      if (p >= html.size()) fail("unclosed tag");
      if (html[p] == '>') break;
      if (html.compare(p, 2, "/>") == 0) {
        self_closed = true;
        ++p;
        break;
      }
      std::string name;
      while (p < html.size() && html[p] != '=' && html[p] != '>' && !isspace(static_cast<unsigned char>(html[p]))) {
        name += html[p++];
      }
      if (html[p] != '=' || html[p + 1] != '"') fail("attribute " + name + " without a quoted value");
      size_t close = html.find('"', p + 2);
      if (close == std::string::npos) fail("unclosed attribute");
      if (node->attributes.count(name) != 0) fail("attribute " + name + " twice");
      node->attributes[name] = Decode(html.substr(p + 2, close - p - 2), p + 2);
      p = close + 1;
    }
    i = p + 1;
    HtmlNode* element = node.get();
    open.back()->children.push_back(std::move(node));
    if (self_closed || kVoid.count(element->tag) != 0) continue;
    if (element->tag == "script" || element->tag == "style") {
      std::string closing = "</" + element->tag + ">";
      size_t end = html.find(closing, i);
      if (end == std::string::npos) fail("unclosed <" + element->tag + ">");
      auto raw = std::make_unique<HtmlNode>();
      raw->text = html.substr(i, end - i);
      element->children.push_back(std::move(raw));
      i = end + closing.size();
      continue;
    }
    open.push_back(element);
  }
  if (open.size() != 1) throw std::runtime_error("<" + open.back()->tag + "> never closed");
  return root;
}

// What in the page would load something from elsewhere: elements that fetch
// (img, link, iframe, ...), src attributes, links that are not "#fragment",
// any "://" in an attribute, url()/@import in styles, network calls in
// scripts. Empty for a self-contained page.
inline std::vector<std::string> ExternalReferences(const HtmlNode& root) {
  static const std::set<std::string> kFetching = {"img", "link", "iframe", "object", "embed", "audio",
                                                   "video", "source", "image", "use", "frame", "base"};
  std::vector<std::string> found;
  std::vector<const HtmlNode*> elements;
  root.Collect([](const HtmlNode&) { return true; }, elements);
  for (const HtmlNode* element : elements) {
    if (kFetching.count(element->tag) != 0) found.push_back("<" + element->tag + ">");
    for (const auto& [name, value] : element->attributes) {
      if (name == "src" || name == "xlink:href" || name == "srcset" || name == "action") {
        found.push_back(name + "=" + value);
      }
      if (name == "href" && (value.empty() || value[0] != '#')) found.push_back("href=" + value);
      if (value.find("://") != std::string::npos) found.push_back(name + "=" + value);
    }
    std::string text = element->Text();
    if (element->tag == "style" || !element->Attribute("style").empty()) {
      text += element->Attribute("style");
      for (const char* bad : {"url(", "@import", "@font-face"}) {
        if (text.find(bad) != std::string::npos) found.push_back(std::string("style with ") + bad);
      }
    }
    if (element->tag == "script") {
      for (const char* bad : {"fetch(", "XMLHttpRequest", "import", "http", "src", "WebSocket", "eval("}) {
        if (text.find(bad) != std::string::npos) found.push_back(std::string("script with ") + bad);
      }
    }
  }
  return found;
}

}  // namespace my2pg

#endif  // MY2PG_TESTS_HTML_DOM_H_

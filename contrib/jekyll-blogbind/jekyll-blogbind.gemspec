# frozen_string_literal: true

Gem::Specification.new do |s|
  s.name        = "jekyll-blogbind"
  s.version     = "0.1.0"
  s.summary     = "Binds the site's posts into an EPUB 3 book beside the site"
  s.description = "After `jekyll build`, runs the installed blogbind program on " \
                  "the site's source and writes the book into the site's " \
                  "destination folder. The book's settings come from the " \
                  "blogbind: section of _config.yml, which blogbind reads itself."
  s.authors     = ["blogbind maintainers"]
  s.files       = ["lib/jekyll-blogbind.rb", "README.md"]
  s.require_paths = ["lib"]
  s.required_ruby_version = ">= 2.7"
  s.add_runtime_dependency "jekyll", ">= 3.8", "< 5"
end

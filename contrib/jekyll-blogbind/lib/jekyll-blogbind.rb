# frozen_string_literal: true

# jekyll-blogbind: after `jekyll build` writes the site, runs the installed
# blogbind program on the site's source folder and puts the book in the
# site's destination (_site/), so the site can link to it.
#
# _config.yml:
#   blogbind:
#     book: notes.epub        # its path inside _site/ (default: the slug of
#                             # the site's title, or "book", plus .epub)
#     program: /usr/bin/blogbind   # default: $BLOGBIND, else blogbind on PATH
#     toc_depth: 2            # ... and every other setting blogbind reads
#                             # from this section itself
#
# Pages link to the book with {{ site.blogbind_book | relative_url }}.
# A failed bind fails the build (the error names blogbind's messages); the
# book is written only whole (blogbind writes a temporary file and renames it).

require "jekyll"
require "open3"

module Jekyll
  module Blogbind
    # The book's path inside the destination, from blogbind.book or the
    # site's title; a path that would leave the destination is an error.
    def self.book_name(site)
      cfg = site.config["blogbind"].is_a?(Hash) ? site.config["blogbind"] : {}
      name = cfg["book"].to_s
      if name.empty?
        slug = Jekyll::Utils.slugify(site.config["title"].to_s)
        name = "#{slug.empty? ? 'book' : slug}.epub"
      end
      parts = name.split("/")
      if name.start_with?("/") || parts.include?("..") || parts.include?("")
        raise Jekyll::Errors::FatalException,
              "blogbind: book '#{name}' must be a relative path inside the site without '..'"
      end
      name
    end

    # The program: blogbind.program, then $BLOGBIND, then blogbind on PATH.
    def self.program(site)
      cfg = site.config["blogbind"].is_a?(Hash) ? site.config["blogbind"] : {}
      p = cfg["program"].to_s
      p = ENV["BLOGBIND"].to_s if p.empty?
      p.empty? ? "blogbind" : p
    end

    def self.bind(site)
      name = book_name(site)
      out = File.join(site.dest, name)
      FileUtils.mkdir_p(File.dirname(out))
      prog = program(site)
      Jekyll.logger.info "Blogbind:", "#{prog} #{site.source} -o #{out}"
      begin
        msgs, status = Open3.capture2e(prog, "-q", site.source, "-o", out)
      rescue SystemCallError => e
        raise Jekyll::Errors::FatalException, "blogbind: cannot run #{prog}: #{e.message}"
      end
      msgs.each_line { |l| Jekyll.logger.warn "Blogbind:", l.chomp }
      unless status.success?
        raise Jekyll::Errors::FatalException,
              "blogbind: #{prog} exited #{status.exitstatus || status}; no book written"
      end
      Jekyll.logger.info "Blogbind:", "book written to #{out} (#{File.size(out)} bytes)"
    end
  end
end

# The link target is known before the pages render.
Jekyll::Hooks.register :site, :post_read do |site|
  site.config["blogbind_book"] = "/#{Jekyll::Blogbind.book_name(site)}"
end

Jekyll::Hooks.register :site, :post_write do |site|
  Jekyll::Blogbind.bind(site)
end

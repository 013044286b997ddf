# liquid_oracle.rb: renders Liquid templates the way Jekyll does (ruby-liquid
# with Jekyll's filters), for tests/unit/test_liquid.c to compare with.
# Input (stdin): JSON {"site": YAML, "data": YAML, "page": YAML, "cases": [template...]}.
# Output (stdout): JSON array of rendered strings (a Liquid error as "ERROR: ...").
#
# With --corpus ROOT: stdin holds JSON lines {"file", "fm", "body", "out"}, a
# post's front matter and body and blogbind's Liquid output; each body is
# rendered with Jekyll's Liquid (the site's _config.yml, its front matter as
# page; highlight as blogbind's fence, post_url and link as their argument,
# since no site is built) and compared. Prints one line per differing post
# and a last line "agree N differ N plugin N" (plugin: Jekyll itself fails,
# an unknown tag or a missing include).
require 'json'
require 'yaml'
require 'date'
require 'tmpdir'
require 'jekyll'

ENV['TZ'] = 'UTC'

# highlight as blogbind writes it (a fence), so the rest can be compared
class FenceHighlight < Liquid::Block
  def initialize(tag, markup, tokens)
    super
    @lang = markup.strip.split(/\s+/).first.to_s.downcase
  end

  def render(ctx)
    code = super.sub(/\A(\s*\n)+/, '').rstrip
    fence = '`' * [3, (code.scan(/`+/).map(&:size).max || 0) + 1].max
    "#{fence}#{@lang}\n#{code}#{code.empty? ? '' : "\n"}#{fence}"
  end
end

# post_url and link with no site built: their argument
class ArgumentTag < Liquid::Tag
  def initialize(tag, markup, tokens)
    super
    @arg = markup.strip.sub(/\A(["'])(.*)\1\z/, '\\2')
  end

  def render(_ctx)
    @arg
  end
end

if ARGV[0] == '--corpus'
  root = ARGV[1]
  load_y = ->(s) { (YAML.safe_load(s, permitted_classes: [Date, Time]) rescue {}) || {} }
  cfg0 = File.exist?(File.join(root, '_config.yml')) ? load_y.(File.read(File.join(root, '_config.yml'))) : {}
  cfg0 = {} unless cfg0.is_a?(Hash)
  Jekyll.logger.log_level = :error
  Liquid::Template.register_tag('highlight', FenceHighlight)
  Liquid::Template.register_tag('post_url', ArgumentTag)
  Liquid::Template.register_tag('link', ArgumentTag)
  counts = Hash.new(0)
  Dir.mktmpdir do |dir|
    plain = cfg0.reject { |k, _| %w[plugins gems theme remote_theme whitelist].include?(k) }
    site = Jekyll::Site.new(Jekyll.configuration(plain.merge('source' => dir, 'destination' => File.join(dir, '_site'), 'quiet' => true)))
    $stdin.each_line do |line|
      j = JSON.parse(line)
      page = load_y.(j['fm'])
      page = {} unless page.is_a?(Hash)
      begin
        ctx = Liquid::Context.new([{ 'site' => cfg0, 'page' => page }], {}, { site: site, page: page }, true)
        ctx.add_filters([Jekyll::Filters])
        out = Liquid::Template.parse(j['body'], line_numbers: true).render!(ctx)
      rescue StandardError, SyntaxError
        counts['plugin'] += 1
        next
      end
      if out == j['out']
        counts['agree'] += 1
      else
        counts['differ'] += 1
        a = out.lines
        b = j['out'].lines
        k = (0...[a.size, b.size].max).find { |n| a[n] != b[n] }
        puts "#{j['file']}:#{k.to_i + 1}: jekyll #{a[k.to_i].inspect} blogbind #{b[k.to_i].inspect}"
      end
    end
  end
  puts "agree #{counts['agree']} differ #{counts['differ']} plugin #{counts['plugin']}"
  exit 0
end

input = JSON.parse($stdin.read)
load = ->(s) { s && !s.empty? ? YAML.safe_load(s, permitted_classes: [Date, Time]) : {} }
site_cfg = load.(input['site'])
data = load.(input['data'])
page = load.(input['page'])
out = []
Dir.mktmpdir do |dir|
  cfg = Jekyll.configuration(site_cfg.merge('source' => dir, 'destination' => File.join(dir, '_site'), 'quiet' => true))
  Jekyll.logger.log_level = :error
  site = Jekyll::Site.new(cfg)
  payload = { 'site' => site_cfg.merge('data' => data), 'page' => page }
  input['cases'].each do |t|
    begin
      tpl = Liquid::Template.parse(t, line_numbers: true)
      out << tpl.render!(Marshal.load(Marshal.dump(payload)),
                         registers: { site: site, page: page }, filters: [Jekyll::Filters])
    rescue StandardError => e
      out << "ERROR: #{e.message}"
    end
  end
end
puts JSON.generate(out)

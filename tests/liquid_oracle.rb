# liquid_oracle.rb: renders Liquid templates the way Jekyll does (ruby-liquid
# with Jekyll's filters), for tests/unit/test_liquid.c to compare with.
# Input (stdin): JSON {"site": YAML, "data": YAML, "page": YAML, "cases": [template...]}.
# Output (stdout): JSON array of rendered strings (a Liquid error as "ERROR: ...").
require 'json'
require 'yaml'
require 'date'
require 'tmpdir'
require 'jekyll'

ENV['TZ'] = 'UTC'
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

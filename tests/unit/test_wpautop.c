/* test_wpautop.c: bb_wpautop against input/output pairs taken, as facts,
 * from WordPress's own tests (tests/phpunit/tests/formatting/Autop.php of
 * WordPress/wordpress-develop; "trim" means the test compares
 * trim(wpautop($in))), each printed with the first difference on failure;
 * then the block editor's comments and shortcode_unautop. Generated cases
 * are written out once here (not computed from the code under test). */
#include "tap.h"
#include "wpautop.h"

#include <stdlib.h>
#include <string.h>

typedef struct autop_case {
	const char *name;
	const char *in;
	const char *want;
	int trim;
} autop_case;

static const autop_case cases[] = {
	{ "skip_pre_br",
	  "Look at this code\n"
	  "\n"
	  "<pre>Line1<br />Line2<br>Line3<br/>Line4\n"
	  "Actual Line 2\n"
	  "Actual Line 3</pre>\n"
	  "\n"
	  "Cool, huh?",
	  "<p>Look at this code</p>\n"
	  "<pre>Line1<br />Line2<br>Line3<br/>Line4\n"
	  "Actual Line 2\n"
	  "Actual Line 3</pre>\n"
	  "<p>Cool, huh?</p>",
	  1 },
	{ "skip_pre_text",
	  "Look at this code\n"
	  "\n"
	  "<pre>var a = 1;\n"
	  "\n"
	  "var b = &lt;2&gt;;\n"
	  "\n"
	  "\n"
	  "function f() {\n"
	  "\treturn a;\n"
	  "}</pre>\n"
	  "\n"
	  "Isn't that cool?",
	  "<p>Look at this code</p>\n"
	  "<pre>var a = 1;\n"
	  "\n"
	  "var b = &lt;2&gt;;\n"
	  "\n"
	  "\n"
	  "function f() {\n"
	  "\treturn a;\n"
	  "}</pre>\n"
	  "<p>Isn't that cool?</p>",
	  1 },
	{ "skip_pre_alone",
	  "<pre>var a = 1;\n"
	  "\n"
	  "var b = &lt;2&gt;;\n"
	  "\n"
	  "\n"
	  "function f() {\n"
	  "\treturn a;\n"
	  "}</pre>",
	  "<pre>var a = 1;\n"
	  "\n"
	  "var b = &lt;2&gt;;\n"
	  "\n"
	  "\n"
	  "function f() {\n"
	  "\treturn a;\n"
	  "}</pre>",
	  1 },
	{ "input",
	  "Username: <input type=\"text\" id=\"username\" name=\"username\" /><br />Password: <input type=\"password\" id=\"password1\" name=\"password1\" />",
	  "<p>Username: <input type=\"text\" id=\"username\" name=\"username\" /><br />Password: <input type=\"password\" id=\"password1\" name=\"password1\" /></p>",
	  1 },
	{ "source_track_1",
	  "Paragraph one.\n"
	  "\n"
	  "<video class=\"wp-video-shortcode\" id=\"video-0-1\" width=\"640\" height=\"360\" preload=\"metadata\" controls=\"controls\">\n"
	  "\t\t\t\t<source type=\"video/mp4\" src=\"http://domain.tld/wp-content/uploads/2013/12/xyz.mp4\" />\n"
	  "\t\t\t\t<!-- WebM/VP8 for Firefox4, Opera, and Chrome -->\n"
	  "\t\t\t\t<source type=\"video/webm\" src=\"myvideo.webm\" />\n"
	  "\t\t\t\t<!-- Ogg/Vorbis for older Firefox and Opera versions -->\n"
	  "\t\t\t\t<source type=\"video/ogg\" src=\"myvideo.ogv\" />\n"
	  "\t\t\t\t<!-- Optional: Add subtitles for each language -->\n"
	  "\t\t\t\t<track kind=\"subtitles\" src=\"subtitles.srt\" srclang=\"en\" />\n"
	  "\t\t\t\t<!-- Optional: Add chapters -->\n"
	  "\t\t\t\t<track kind=\"chapters\" src=\"chapters.srt\" srclang=\"en\" />\n"
	  "\t\t\t\t<a href=\"http://domain.tld/wp-content/uploads/2013/12/xyz.mp4\">http://domain.tld/wp-content/uploads/2013/12/xyz.mp4</a>\n"
	  "\t\t\t</video>\n"
	  "\n"
	  "Paragraph two.",
	  "<p>Paragraph one.</p>\n"
	  "<p><video class=\"wp-video-shortcode\" id=\"video-0-1\" width=\"640\" height=\"360\" preload=\"metadata\" controls=\"controls\"><source type=\"video/mp4\" src=\"http://domain.tld/wp-content/uploads/2013/12/xyz.mp4\" /><!-- WebM/VP8 for Firefox4, Opera, and Chrome --><source type=\"video/webm\" src=\"myvideo.webm\" /><!-- Ogg/Vorbis for older Firefox and Opera versions --><source type=\"video/ogg\" src=\"myvideo.ogv\" /><!-- Optional: Add subtitles for each language --><track kind=\"subtitles\" src=\"subtitles.srt\" srclang=\"en\" /><!-- Optional: Add chapters --><track kind=\"chapters\" src=\"chapters.srt\" srclang=\"en\" /><a href=\"http://domain.tld/wp-content/uploads/2013/12/xyz.mp4\">http://domain.tld/wp-content/uploads/2013/12/xyz.mp4</a></video></p>\n"
	  "<p>Paragraph two.</p>",
	  1 },
	{ "source_track_2",
	  "Paragraph one.\n"
	  "\n"
	  "<video class=\"wp-video-shortcode\" id=\"video-0-1\" width=\"640\" height=\"360\" preload=\"metadata\" controls=\"controls\">\n"
	  "\n"
	  "\t\t\t<source type=\"video/mp4\" src=\"http://domain.tld/wp-content/uploads/2013/12/xyz.mp4\" />\n"
	  "\n"
	  "\t\t\t<!-- WebM/VP8 for Firefox4, Opera, and Chrome -->\n"
	  "\t\t\t<source type=\"video/webm\" src=\"myvideo.webm\" />\n"
	  "\n"
	  "\t\t\t<!-- Ogg/Vorbis for older Firefox and Opera versions -->\n"
	  "\t\t\t<source type=\"video/ogg\" src=\"myvideo.ogv\" />\n"
	  "\n"
	  "\t\t\t<!-- Optional: Add subtitles for each language -->\n"
	  "\t\t\t<track kind=\"subtitles\" src=\"subtitles.srt\" srclang=\"en\" />\n"
	  "\n"
	  "\t\t\t<!-- Optional: Add chapters -->\n"
	  "\t\t\t<track kind=\"chapters\" src=\"chapters.srt\" srclang=\"en\" />\n"
	  "\n"
	  "\t\t\t<a href=\"http://domain.tld/wp-content/uploads/2013/12/xyz.mp4\">http://domain.tld/wp-content/uploads/2013/12/xyz.mp4</a>\n"
	  "\n"
	  "\t\t\t</video>\n"
	  "\n"
	  "Paragraph two.",
	  "<p>Paragraph one.</p>\n"
	  "<p><video class=\"wp-video-shortcode\" id=\"video-0-1\" width=\"640\" height=\"360\" preload=\"metadata\" controls=\"controls\"><source type=\"video/mp4\" src=\"http://domain.tld/wp-content/uploads/2013/12/xyz.mp4\" /><!-- WebM/VP8 for Firefox4, Opera, and Chrome --><source type=\"video/webm\" src=\"myvideo.webm\" /><!-- Ogg/Vorbis for older Firefox and Opera versions --><source type=\"video/ogg\" src=\"myvideo.ogv\" /><!-- Optional: Add subtitles for each language --><track kind=\"subtitles\" src=\"subtitles.srt\" srclang=\"en\" /><!-- Optional: Add chapters --><track kind=\"chapters\" src=\"chapters.srt\" srclang=\"en\" /><a href=\"http://domain.tld/wp-content/uploads/2013/12/xyz.mp4\">http://domain.tld/wp-content/uploads/2013/12/xyz.mp4</a></video></p>\n"
	  "<p>Paragraph two.</p>",
	  1 },
	{ "source_track_shortcode",
	  "Paragraph one.\n"
	  "\n"
	  "[video width=\"720\" height=\"480\" mp4=\"http://domain.tld/wp-content/uploads/2013/12/xyz.mp4\"]\n"
	  "\t\t\t<!-- WebM/VP8 for Firefox4, Opera, and Chrome -->\n"
	  "\t\t\t<source type=\"video/webm\" src=\"myvideo.webm\" />\n"
	  "\t\t\t<!-- Ogg/Vorbis for older Firefox and Opera versions -->\n"
	  "\t\t\t<source type=\"video/ogg\" src=\"myvideo.ogv\" />\n"
	  "\t\t\t<!-- Optional: Add subtitles for each language -->\n"
	  "\t\t\t<track kind=\"subtitles\" src=\"subtitles.srt\" srclang=\"en\" />\n"
	  "\t\t\t<!-- Optional: Add chapters -->\n"
	  "\t\t\t<track kind=\"chapters\" src=\"chapters.srt\" srclang=\"en\" />\n"
	  "\t\t\t[/video]\n"
	  "\n"
	  "Paragraph two.",
	  "<p>Paragraph one.</p>\n"
	  "<p>[video width=\"720\" height=\"480\" mp4=\"http://domain.tld/wp-content/uploads/2013/12/xyz.mp4\"]<!-- WebM/VP8 for Firefox4, Opera, and Chrome --><source type=\"video/webm\" src=\"myvideo.webm\" /><!-- Ogg/Vorbis for older Firefox and Opera versions --><source type=\"video/ogg\" src=\"myvideo.ogv\" /><!-- Optional: Add subtitles for each language --><track kind=\"subtitles\" src=\"subtitles.srt\" srclang=\"en\" /><!-- Optional: Add chapters --><track kind=\"chapters\" src=\"chapters.srt\" srclang=\"en\" />[/video]</p>\n"
	  "<p>Paragraph two.</p>",
	  1 },
	{ "param_embed_1",
	  "\n"
	  "Paragraph one.\n"
	  "\n"
	  "<object width=\"400\" height=\"224\" classid=\"clsid:d27cdb6e-ae6d-11cf-96b8-444553540000\" codebase=\"http://download.macromedia.com/pub/shockwave/cabs/flash/swflash.cab#version=6,0,40,0\">\n"
	  "\t<param name=\"src\" value=\"http://domain.tld/wp-content/uploads/2013/12/xyz.swf\" />\n"
	  "\t<param name=\"allowfullscreen\" value=\"true\" />\n"
	  "\t<param name=\"allowscriptaccess\" value=\"always\" />\n"
	  "\t<param name=\"overstretch\" value=\"true\" />\n"
	  "\t<param name=\"flashvars\" value=\"isDynamicSeeking=true\" />\n"
	  "\n"
	  "\t<embed width=\"400\" height=\"224\" type=\"application/x-shockwave-flash\" src=\"http://domain.tld/wp-content/uploads/2013/12/xyz.swf\" wmode=\"direct\" seamlesstabbing=\"true\" allowfullscreen=\"true\" overstretch=\"true\" flashvars=\"isDynamicSeeking=true\" />\n"
	  "</object>\n"
	  "\n"
	  "Paragraph two.",
	  "<p>Paragraph one.</p>\n"
	  "<p><object width=\"400\" height=\"224\" classid=\"clsid:d27cdb6e-ae6d-11cf-96b8-444553540000\" codebase=\"http://download.macromedia.com/pub/shockwave/cabs/flash/swflash.cab#version=6,0,40,0\"><param name=\"src\" value=\"http://domain.tld/wp-content/uploads/2013/12/xyz.swf\" /><param name=\"allowfullscreen\" value=\"true\" /><param name=\"allowscriptaccess\" value=\"always\" /><param name=\"overstretch\" value=\"true\" /><param name=\"flashvars\" value=\"isDynamicSeeking=true\" /><embed width=\"400\" height=\"224\" type=\"application/x-shockwave-flash\" src=\"http://domain.tld/wp-content/uploads/2013/12/xyz.swf\" wmode=\"direct\" seamlesstabbing=\"true\" allowfullscreen=\"true\" overstretch=\"true\" flashvars=\"isDynamicSeeking=true\" /></object></p>\n"
	  "<p>Paragraph two.</p>",
	  1 },
	{ "param_embed_2",
	  "\n"
	  "Paragraph one.\n"
	  "\n"
	  "<div class=\"video-player\" id=\"x-video-0\">\n"
	  "<object classid=\"clsid:D27CDB6E-AE6D-11cf-96B8-444553540000\" width=\"640\" height=\"360\" id=\"video-0\" standby=\"Standby text\">\n"
	  "  <param name=\"movie\" value=\"http://domain.tld/wp-content/uploads/2013/12/xyz.swf\" />\n"
	  "  <param name=\"quality\" value=\"best\" />\n"
	  "\n"
	  "  <param name=\"seamlesstabbing\" value=\"true\" />\n"
	  "  <param name=\"allowfullscreen\" value=\"true\" />\n"
	  "  <param name=\"allowscriptaccess\" value=\"always\" />\n"
	  "  <param name=\"overstretch\" value=\"true\" />\n"
	  "\n"
	  "  <!--[if !IE]--><object type=\"application/x-shockwave-flash\" data=\"http://domain.tld/wp-content/uploads/2013/12/xyz.swf\" width=\"640\" height=\"360\" standby=\"Standby text\">\n"
	  "    <param name=\"quality\" value=\"best\" />\n"
	  "\n"
	  "    <param name=\"seamlesstabbing\" value=\"true\" />\n"
	  "    <param name=\"allowfullscreen\" value=\"true\" />\n"
	  "    <param name=\"allowscriptaccess\" value=\"always\" />\n"
	  "    <param name=\"overstretch\" value=\"true\" />\n"
	  "  </object><!--<![endif]-->\n"
	  "</object></div>\n"
	  "\n"
	  "Paragraph two.",
	  "<p>Paragraph one.</p>\n"
	  "<div class=\"video-player\" id=\"x-video-0\">\n"
	  "<object classid=\"clsid:D27CDB6E-AE6D-11cf-96B8-444553540000\" width=\"640\" height=\"360\" id=\"video-0\" standby=\"Standby text\"><param name=\"movie\" value=\"http://domain.tld/wp-content/uploads/2013/12/xyz.swf\" /><param name=\"quality\" value=\"best\" /><param name=\"seamlesstabbing\" value=\"true\" /><param name=\"allowfullscreen\" value=\"true\" /><param name=\"allowscriptaccess\" value=\"always\" /><param name=\"overstretch\" value=\"true\" /><!--[if !IE]--><object type=\"application/x-shockwave-flash\" data=\"http://domain.tld/wp-content/uploads/2013/12/xyz.swf\" width=\"640\" height=\"360\" standby=\"Standby text\"><param name=\"quality\" value=\"best\" /><param name=\"seamlesstabbing\" value=\"true\" /><param name=\"allowfullscreen\" value=\"true\" /><param name=\"allowscriptaccess\" value=\"always\" /><param name=\"overstretch\" value=\"true\" /></object><!--<![endif]--></object></div>\n"
	  "<p>Paragraph two.</p>",
	  1 },
	{ "select_option",
	  "Country: <select id=\"state\" name=\"state\"><option value=\"1\">Alabama</option><option value=\"2\">Alaska</option><option value=\"3\">Arizona</option><option value=\"4\">Arkansas</option><option value=\"5\">California</option></select>",
	  "<p>Country: <select id=\"state\" name=\"state\"><option value=\"1\">Alabama</option><option value=\"2\">Alaska</option><option value=\"3\">Arizona</option><option value=\"4\">Arkansas</option><option value=\"5\">California</option></select></p>",
	  1 },
	{ "blocks_ws",
	  "<table>foo</table>\n"
	  "\n"
	  "<thead>foo</thead>\n"
	  "\n"
	  "<tfoot>foo</tfoot>\n"
	  "\n"
	  "<caption>foo</caption>\n"
	  "\n"
	  "<col>foo</col>\n"
	  "\n"
	  "<colgroup>foo</colgroup>\n"
	  "\n"
	  "<tbody>foo</tbody>\n"
	  "\n"
	  "<tr>foo</tr>\n"
	  "\n"
	  "<td>foo</td>\n"
	  "\n"
	  "<th>foo</th>\n"
	  "\n"
	  "<div>foo</div>\n"
	  "\n"
	  "<dl>foo</dl>\n"
	  "\n"
	  "<dd>foo</dd>\n"
	  "\n"
	  "<dt>foo</dt>\n"
	  "\n"
	  "<ul>foo</ul>\n"
	  "\n"
	  "<ol>foo</ol>\n"
	  "\n"
	  "<li>foo</li>\n"
	  "\n"
	  "<pre>foo</pre>\n"
	  "\n"
	  "<form>foo</form>\n"
	  "\n"
	  "<map>foo</map>\n"
	  "\n"
	  "<area>foo</area>\n"
	  "\n"
	  "<address>foo</address>\n"
	  "\n"
	  "<math>foo</math>\n"
	  "\n"
	  "<style>foo</style>\n"
	  "\n"
	  "<p>foo</p>\n"
	  "\n"
	  "<h1>foo</h1>\n"
	  "\n"
	  "<h2>foo</h2>\n"
	  "\n"
	  "<h3>foo</h3>\n"
	  "\n"
	  "<h4>foo</h4>\n"
	  "\n"
	  "<h5>foo</h5>\n"
	  "\n"
	  "<h6>foo</h6>\n"
	  "\n"
	  "<fieldset>foo</fieldset>\n"
	  "\n"
	  "<legend>foo</legend>\n"
	  "\n"
	  "<section>foo</section>\n"
	  "\n"
	  "<article>foo</article>\n"
	  "\n"
	  "<aside>foo</aside>\n"
	  "\n"
	  "<hgroup>foo</hgroup>\n"
	  "\n"
	  "<header>foo</header>\n"
	  "\n"
	  "<footer>foo</footer>\n"
	  "\n"
	  "<nav>foo</nav>\n"
	  "\n"
	  "<figure>foo</figure>\n"
	  "\n"
	  "<details>foo</details>\n"
	  "\n"
	  "<menu>foo</menu>\n"
	  "\n"
	  "<summary>foo</summary>",
	  "<table>foo</table>\n"
	  "<thead>foo</thead>\n"
	  "<tfoot>foo</tfoot>\n"
	  "<caption>foo</caption>\n"
	  "<col>foo</col>\n"
	  "<colgroup>foo</colgroup>\n"
	  "<tbody>foo</tbody>\n"
	  "<tr>foo</tr>\n"
	  "<td>foo</td>\n"
	  "<th>foo</th>\n"
	  "<div>foo</div>\n"
	  "<dl>foo</dl>\n"
	  "<dd>foo</dd>\n"
	  "<dt>foo</dt>\n"
	  "<ul>foo</ul>\n"
	  "<ol>foo</ol>\n"
	  "<li>foo</li>\n"
	  "<pre>foo</pre>\n"
	  "<form>foo</form>\n"
	  "<map>foo</map>\n"
	  "<area>foo</area>\n"
	  "<address>foo</address>\n"
	  "<math>foo</math>\n"
	  "<style>foo</style>\n"
	  "<p>foo</p>\n"
	  "<h1>foo</h1>\n"
	  "<h2>foo</h2>\n"
	  "<h3>foo</h3>\n"
	  "<h4>foo</h4>\n"
	  "<h5>foo</h5>\n"
	  "<h6>foo</h6>\n"
	  "<fieldset>foo</fieldset>\n"
	  "<legend>foo</legend>\n"
	  "<section>foo</section>\n"
	  "<article>foo</article>\n"
	  "<aside>foo</aside>\n"
	  "<hgroup>foo</hgroup>\n"
	  "<header>foo</header>\n"
	  "<footer>foo</footer>\n"
	  "<nav>foo</nav>\n"
	  "<figure>foo</figure>\n"
	  "<details>foo</details>\n"
	  "<menu>foo</menu>\n"
	  "<summary>foo</summary>",
	  1 },
	{ "blocks_none",
	  "<table>foo</table><thead>foo</thead><tfoot>foo</tfoot><caption>foo</caption><col>foo</col><colgroup>foo</colgroup><tbody>foo</tbody><tr>foo</tr><td>foo</td><th>foo</th><div>foo</div><dl>foo</dl><dd>foo</dd><dt>foo</dt><ul>foo</ul><ol>foo</ol><li>foo</li><pre>foo</pre><form>foo</form><map>foo</map><area>foo</area><address>foo</address><math>foo</math><style>foo</style><p>foo</p><h1>foo</h1><h2>foo</h2><h3>foo</h3><h4>foo</h4><h5>foo</h5><h6>foo</h6><fieldset>foo</fieldset><legend>foo</legend><section>foo</section><article>foo</article><aside>foo</aside><hgroup>foo</hgroup><header>foo</header><footer>foo</footer><nav>foo</nav><figure>foo</figure><details>foo</details><menu>foo</menu><summary>foo</summary>",
	  "<table>foo</table>\n"
	  "<thead>foo</thead>\n"
	  "<tfoot>foo</tfoot>\n"
	  "<caption>foo</caption>\n"
	  "<col>foo</col>\n"
	  "<colgroup>foo</colgroup>\n"
	  "<tbody>foo</tbody>\n"
	  "<tr>foo</tr>\n"
	  "<td>foo</td>\n"
	  "<th>foo</th>\n"
	  "<div>foo</div>\n"
	  "<dl>foo</dl>\n"
	  "<dd>foo</dd>\n"
	  "<dt>foo</dt>\n"
	  "<ul>foo</ul>\n"
	  "<ol>foo</ol>\n"
	  "<li>foo</li>\n"
	  "<pre>foo</pre>\n"
	  "<form>foo</form>\n"
	  "<map>foo</map>\n"
	  "<area>foo</area>\n"
	  "<address>foo</address>\n"
	  "<math>foo</math>\n"
	  "<style>foo</style>\n"
	  "<p>foo</p>\n"
	  "<h1>foo</h1>\n"
	  "<h2>foo</h2>\n"
	  "<h3>foo</h3>\n"
	  "<h4>foo</h4>\n"
	  "<h5>foo</h5>\n"
	  "<h6>foo</h6>\n"
	  "<fieldset>foo</fieldset>\n"
	  "<legend>foo</legend>\n"
	  "<section>foo</section>\n"
	  "<article>foo</article>\n"
	  "<aside>foo</aside>\n"
	  "<hgroup>foo</hgroup>\n"
	  "<header>foo</header>\n"
	  "<footer>foo</footer>\n"
	  "<nav>foo</nav>\n"
	  "<figure>foo</figure>\n"
	  "<details>foo</details>\n"
	  "<menu>foo</menu>\n"
	  "<summary>foo</summary>",
	  1 },
	{ "blocks_selfclosing",
	  "<table/><thead/><tfoot/><caption/><col/><colgroup/><tbody/><tr/><td/><th/><div/><dl/><dd/><dt/><ul/><ol/><li/><pre/><form/><map/><area/><address/><math/><style/><p/><h1/><h2/><h3/><h4/><h5/><h6/><fieldset/><legend/><section/><article/><aside/><hgroup/><header/><footer/><nav/><figure/><details/><menu/><summary/>",
	  "<table/>\n"
	  "<thead/>\n"
	  "<tfoot/>\n"
	  "<caption/>\n"
	  "<col/>\n"
	  "<colgroup/>\n"
	  "<tbody/>\n"
	  "<tr/>\n"
	  "<td/>\n"
	  "<th/>\n"
	  "<div/>\n"
	  "<dl/>\n"
	  "<dd/>\n"
	  "<dt/>\n"
	  "<ul/>\n"
	  "<ol/>\n"
	  "<li/>\n"
	  "<pre/>\n"
	  "<form/>\n"
	  "<map/>\n"
	  "<area/>\n"
	  "<address/>\n"
	  "<math/>\n"
	  "<style/>\n"
	  "<p/>\n"
	  "<h1/>\n"
	  "<h2/>\n"
	  "<h3/>\n"
	  "<h4/>\n"
	  "<h5/>\n"
	  "<h6/>\n"
	  "<fieldset/>\n"
	  "<legend/>\n"
	  "<section/>\n"
	  "<article/>\n"
	  "<aside/>\n"
	  "<hgroup/>\n"
	  "<header/>\n"
	  "<footer/>\n"
	  "<nav/>\n"
	  "<figure/>\n"
	  "<details/>\n"
	  "<menu/>\n"
	  "<summary/>",
	  1 },
	{ "blocks_attr",
	  "<table attr='value'>foo</table><thead attr='value'>foo</thead><tfoot attr='value'>foo</tfoot><caption attr='value'>foo</caption><col attr='value'>foo</col><colgroup attr='value'>foo</colgroup><tbody attr='value'>foo</tbody><tr attr='value'>foo</tr><td attr='value'>foo</td><th attr='value'>foo</th><div attr='value'>foo</div><dl attr='value'>foo</dl><dd attr='value'>foo</dd><dt attr='value'>foo</dt><ul attr='value'>foo</ul><ol attr='value'>foo</ol><li attr='value'>foo</li><pre attr='value'>foo</pre><form attr='value'>foo</form><map attr='value'>foo</map><area attr='value'>foo</area><address attr='value'>foo</address><math attr='value'>foo</math><style attr='value'>foo</style><p attr='value'>foo</p><h1 attr='value'>foo</h1><h2 attr='value'>foo</h2><h3 attr='value'>foo</h3><h4 attr='value'>foo</h4><h5 attr='value'>foo</h5><h6 attr='value'>foo</h6><fieldset attr='value'>foo</fieldset><legend attr='value'>foo</legend><section attr='value'>foo</section><article attr='value'>foo</article><aside attr='value'>foo</aside><hgroup attr='value'>foo</hgroup><header attr='value'>foo</header><footer attr='value'>foo</footer><nav attr='value'>foo</nav><figure attr='value'>foo</figure><details attr='value'>foo</details><menu attr='value'>foo</menu><summary attr='value'>foo</summary>",
	  "<table attr='value'>foo</table>\n"
	  "<thead attr='value'>foo</thead>\n"
	  "<tfoot attr='value'>foo</tfoot>\n"
	  "<caption attr='value'>foo</caption>\n"
	  "<col attr='value'>foo</col>\n"
	  "<colgroup attr='value'>foo</colgroup>\n"
	  "<tbody attr='value'>foo</tbody>\n"
	  "<tr attr='value'>foo</tr>\n"
	  "<td attr='value'>foo</td>\n"
	  "<th attr='value'>foo</th>\n"
	  "<div attr='value'>foo</div>\n"
	  "<dl attr='value'>foo</dl>\n"
	  "<dd attr='value'>foo</dd>\n"
	  "<dt attr='value'>foo</dt>\n"
	  "<ul attr='value'>foo</ul>\n"
	  "<ol attr='value'>foo</ol>\n"
	  "<li attr='value'>foo</li>\n"
	  "<pre attr='value'>foo</pre>\n"
	  "<form attr='value'>foo</form>\n"
	  "<map attr='value'>foo</map>\n"
	  "<area attr='value'>foo</area>\n"
	  "<address attr='value'>foo</address>\n"
	  "<math attr='value'>foo</math>\n"
	  "<style attr='value'>foo</style>\n"
	  "<p attr='value'>foo</p>\n"
	  "<h1 attr='value'>foo</h1>\n"
	  "<h2 attr='value'>foo</h2>\n"
	  "<h3 attr='value'>foo</h3>\n"
	  "<h4 attr='value'>foo</h4>\n"
	  "<h5 attr='value'>foo</h5>\n"
	  "<h6 attr='value'>foo</h6>\n"
	  "<fieldset attr='value'>foo</fieldset>\n"
	  "<legend attr='value'>foo</legend>\n"
	  "<section attr='value'>foo</section>\n"
	  "<article attr='value'>foo</article>\n"
	  "<aside attr='value'>foo</aside>\n"
	  "<hgroup attr='value'>foo</hgroup>\n"
	  "<header attr='value'>foo</header>\n"
	  "<footer attr='value'>foo</footer>\n"
	  "<nav attr='value'>foo</nav>\n"
	  "<figure attr='value'>foo</figure>\n"
	  "<details attr='value'>foo</details>\n"
	  "<menu attr='value'>foo</menu>\n"
	  "<summary attr='value'>foo</summary>",
	  1 },
	{ "blockquote",
	  "<blockquote>foo</blockquote>",
	  "<blockquote><p>foo</p></blockquote>",
	  1 },
	{ "inline",
	  "<a>foo</a>\n"
	  "\n"
	  "<em>foo</em>\n"
	  "\n"
	  "<strong>foo</strong>\n"
	  "\n"
	  "<small>foo</small>\n"
	  "\n"
	  "<s>foo</s>\n"
	  "\n"
	  "<cite>foo</cite>\n"
	  "\n"
	  "<q>foo</q>\n"
	  "\n"
	  "<dfn>foo</dfn>\n"
	  "\n"
	  "<abbr>foo</abbr>\n"
	  "\n"
	  "<data>foo</data>\n"
	  "\n"
	  "<time>foo</time>\n"
	  "\n"
	  "<code>foo</code>\n"
	  "\n"
	  "<var>foo</var>\n"
	  "\n"
	  "<samp>foo</samp>\n"
	  "\n"
	  "<kbd>foo</kbd>\n"
	  "\n"
	  "<sub>foo</sub>\n"
	  "\n"
	  "<sup>foo</sup>\n"
	  "\n"
	  "<i>foo</i>\n"
	  "\n"
	  "<b>foo</b>\n"
	  "\n"
	  "<u>foo</u>\n"
	  "\n"
	  "<mark>foo</mark>\n"
	  "\n"
	  "<span>foo</span>\n"
	  "\n"
	  "<del>foo</del>\n"
	  "\n"
	  "<ins>foo</ins>\n"
	  "\n"
	  "<noscript>foo</noscript>\n"
	  "\n"
	  "<select>foo</select>",
	  "<p><a>foo</a></p>\n"
	  "<p><em>foo</em></p>\n"
	  "<p><strong>foo</strong></p>\n"
	  "<p><small>foo</small></p>\n"
	  "<p><s>foo</s></p>\n"
	  "<p><cite>foo</cite></p>\n"
	  "<p><q>foo</q></p>\n"
	  "<p><dfn>foo</dfn></p>\n"
	  "<p><abbr>foo</abbr></p>\n"
	  "<p><data>foo</data></p>\n"
	  "<p><time>foo</time></p>\n"
	  "<p><code>foo</code></p>\n"
	  "<p><var>foo</var></p>\n"
	  "<p><samp>foo</samp></p>\n"
	  "<p><kbd>foo</kbd></p>\n"
	  "<p><sub>foo</sub></p>\n"
	  "<p><sup>foo</sup></p>\n"
	  "<p><i>foo</i></p>\n"
	  "<p><b>foo</b></p>\n"
	  "<p><u>foo</u></p>\n"
	  "<p><mark>foo</mark></p>\n"
	  "<p><span>foo</span></p>\n"
	  "<p><del>foo</del></p>\n"
	  "<p><ins>foo</ins></p>\n"
	  "<p><noscript>foo</noscript></p>\n"
	  "<p><select>foo</select></p>",
	  1 },
	{ "element_sanity_1",
	  "Hello <a\n"
	  "href='world'>",
	  "<p>Hello <a\n"
	  "href='world'></p>\n"
	  "",
	  0 },
	{ "element_sanity_2",
	  "Hello <!-- a\n"
	  "href='world' -->",
	  "<p>Hello <!-- a\n"
	  "href='world' --></p>\n"
	  "",
	  0 },
	{ "element_sanity_3",
	  "Hello <!-- <object>\n"
	  "<param>\n"
	  "<param>\n"
	  "<embed>\n"
	  "</embed>\n"
	  "</object>\n"
	  " -->",
	  "<p>Hello <!-- <object>\n"
	  "<param>\n"
	  "<param>\n"
	  "<embed>\n"
	  "</embed>\n"
	  "</object>\n"
	  " --></p>\n"
	  "",
	  0 },
	{ "element_sanity_4",
	  "Hello <!-- <object>\n"
	  "<param/>\n"
	  "<param/>\n"
	  "<embed>\n"
	  "</embed>\n"
	  "</object>\n"
	  " -->",
	  "<p>Hello <!-- <object>\n"
	  "<param/>\n"
	  "<param/>\n"
	  "<embed>\n"
	  "</embed>\n"
	  "</object>\n"
	  " --></p>\n"
	  "",
	  0 },
	{ "element_sanity_5",
	  "Hello <![CDATA[ a\n"
	  "https://youtu.be/jgz0uSaOZbE\n"
	  " ]]>",
	  "<p>Hello <![CDATA[ a\n"
	  "https://youtu.be/jgz0uSaOZbE\n"
	  " ]]></p>\n"
	  "",
	  0 },
	{ "element_sanity_6",
	  "Hello <![CDATA[ <!-- a\n"
	  "https://youtu.be/jgz0uSaOZbE\n"
	  " a\n"
	  "9 ]]> -->",
	  "<p>Hello <![CDATA[ <!-- a\n"
	  "https://youtu.be/jgz0uSaOZbE\n"
	  " a\n"
	  "9 ]]> --></p>\n"
	  "",
	  0 },
	{ "element_sanity_7",
	  "Hello <![CDATA[ <!-- a\n"
	  "https://youtu.be/jgz0uSaOZbE\n"
	  " a\n"
	  "9 --> a\n"
	  "9 ]]>",
	  "<p>Hello <![CDATA[ <!-- a\n"
	  "https://youtu.be/jgz0uSaOZbE\n"
	  " a\n"
	  "9 --> a\n"
	  "9 ]]></p>\n"
	  "",
	  0 },
	{ "br_then_newline",
	  "\n"
	  "line 1<br>\n"
	  "line 2<br/>\n"
	  "line 3<br />\n"
	  "line 4\n"
	  "line 5\n"
	  "",
	  "<p>line 1<br />\n"
	  "line 2<br />\n"
	  "line 3<br />\n"
	  "line 4<br />\n"
	  "line 5</p>",
	  1 },
	{ "multiple_br",
	  "\n"
	  "line 1<br>\n"
	  "<br/>\n"
	  "line 2<br/>\n"
	  "<br />\n"
	  "",
	  "<p>line 1</p>\n"
	  "<p>line 2</p>",
	  1 },
	{ "text_before_block",
	  "a<div>b</div>",
	  "<p>a</p>\n"
	  "<div>b</div>",
	  1 },
	{ "figcaption_1",
	  "<figure><img src=\"example.jpg\" /><figcaption>Caption</figcaption></figure>",
	  "<figure><img src=\"example.jpg\" /><figcaption>Caption</figcaption></figure>",
	  1 },
	{ "figcaption_2",
	  "<figure>\n"
	  "<img src=\"example.jpg\" />\n"
	  "<figcaption>Caption</figcaption>\n"
	  "</figure>",
	  "<figure>\n"
	  "<img src=\"example.jpg\" /><figcaption>Caption</figcaption></figure>",
	  1 },
	{ "hr",
	  "paragraph1<hr>paragraph2",
	  "<p>paragraph1</p>\n"
	  "<hr>\n"
	  "<p>paragraph2</p>",
	  1 },
	{ "svg",
	  "<svg xmlns=\"http://www.w3.org/2000/svg\">\n"
	  "\t\t\t\t<circle cx=\"50\" cy=\"50\" r=\"30\" fill=\"blue\">\n"
	  "\t\t\t\t\t<animateTransform attributeName=\"transform\" type=\"scale\" to=\"1.5\" dur=\"2s\" fill=\"freeze\"/>\n"
	  "\t\t\t\t</circle>\n"
	  "\t\t\t</svg>",
	  "<p><svg xmlns=\"http://www.w3.org/2000/svg\">\n"
	  "\t\t\t\t<circle cx=\"50\" cy=\"50\" r=\"30\" fill=\"blue\">\n"
	  "\t\t\t\t\t<animateTransform attributeName=\"transform\" type=\"scale\" to=\"1.5\" dur=\"2s\" fill=\"freeze\"/>\n"
	  "\t\t\t\t</circle>\n"
	  "\t\t\t</svg></p>",
	  1 },
	{ "script",
	  "<script type=\"text/javascript\">\n"
	  "\t\t\t\tvar dummy = 1;\n"
	  "\t\t\t</script>",
	  "<p><script type=\"text/javascript\">\n"
	  "\t\t\t\tvar dummy = 1;\n"
	  "\t\t\t</script></p>",
	  1 },
};

/* Prints where got and want part, with some text on either side. */
static void
S_diff(const char *name, const char *got, const char *want)
{
	size_t i = 0, a;
	while (got[i] && got[i] == want[i])
		i++;
	a = i > 40 ? i - 40 : 0;
	fprintf(stderr, "wpautop case %s: differs at byte %zu\n  got:  ...%.100s\n  want: ...%.100s\n", name, i,
		got + a, want + a);
}

static char *
S_trim(char *s)
{
	size_t n = strlen(s), a = 0;
	while (n && strchr(" \t\n\r\v", s[n - 1]))
		s[--n] = '\0';
	while (s[a] && strchr(" \t\n\r\v", s[a]))
		a++;
	memmove(s, s + a, n - a + 1);
	return s;
}

static void
test_cases(void)
{
	size_t i;
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		size_t n;
		char *got = bb_wpautop(cases[i].in, strlen(cases[i].in), 1, &n);
		CHECK(n == strlen(got));
		if (cases[i].trim)
			S_trim(got);
		if (strcmp(got, cases[i].want) == 0) {
			CHECK(1);
		} else {
			CHECK(!"a wpautop case");
			S_diff(cases[i].name, got, cases[i].want);
		}
		free(got);
	}
}

/* Facts of the code read in formatting.php rather than its tests. */
static void
test_more(void)
{
	char *s;
	/* empty or blank: "" */
	s = bb_wpautop(" \n\t", 3, 1, NULL);
	CHECK_STR(s, "");
	free(s);
	/* without br, single newlines stay */
	s = bb_wpautop("a\nb\n\nc", 6, 0, NULL);
	CHECK_STR(s, "<p>a\nb</p>\n<p>c</p>\n");
	free(s);
	s = bb_wpautop("a\nb\n\nc", 6, 1, NULL);
	CHECK_STR(s, "<p>a<br />\nb</p>\n<p>c</p>\n");
	free(s);
	/* CR LF as LF */
	s = bb_wpautop("a\r\n\r\nb", 6, 1, NULL);
	CHECK_STR(s, "<p>a</p>\n<p>b</p>\n");
	free(s);
	/* two <pre> and text between */
	{
		const char *in = "x\n<pre>1\n\n2</pre>\ny\n\n<pre>3</pre>";
		s = bb_wpautop(in, strlen(in), 1, NULL);
		CHECK_STR(s, "<p>x</p>\n<pre>1\n\n2</pre>\n<p>y</p>\n<pre>3</pre>\n");
		free(s);
	}
}

static void
test_blocks(void)
{
	const char *in = "<!-- wp:paragraph -->\n<p>One</p>\n<!-- /wp:paragraph -->\n\n"
			 "<!-- wp:image {\"id\":5} -->\n<figure><img src=\"a.jpg\"/></figure>\n<!-- /wp:image -->\n"
			 "<!-- wp:spacer /-->\n<!-- a comment -->";
	size_t n;
	char *s;
	static const char *const names[] = { "gallery", "caption", NULL };

	CHECK(bb_wp_has_blocks(in, strlen(in)));
	CHECK(!bb_wp_has_blocks("<p>x</p>", 8));
	s = bb_wp_strip_blocks(in, strlen(in), &n);
	CHECK_STR(s, "\n<p>One</p>\n\n\n\n<figure><img src=\"a.jpg\"/></figure>\n\n\n<!-- a comment -->");
	free(s);
	/* block content: no wpautop (has_blocks) */
	s = bb_wp_content(in, strlen(in), names, &n);
	CHECK(strstr(s, "<!-- wp:") == NULL && strstr(s, "<br />") == NULL && strstr(s, "<p>One</p>"));
	free(s);
	/* classic content: wpautop, then a shortcode alone loses its <p> */
	in = "Text\n\n[gallery ids=\"1,2\"]\n\n[caption id=\"x\"]<img src=\"a.jpg\" /> Cap[/caption]\n\n[other]";
	s = bb_wp_content(in, strlen(in), names, &n);
	CHECK_STR(s, "<p>Text</p>\n[gallery ids=\"1,2\"]\n[caption id=\"x\"]<img src=\"a.jpg\" /> Cap[/caption]\n"
		     "<p>[other]</p>\n");
	free(s);
	/* shortcode_unautop: not a longer name, spaces and &nbsp; around */
	in = "<p>[galleryx]</p>\n<p>&nbsp; [gallery/] </p><p>[caption]a[/caption] b</p>";
	s = bb_wp_shortcode_unautop(in, strlen(in), names, &n);
	CHECK_STR(s, "<p>[galleryx]</p>\n[gallery/]<p>[caption]a[/caption] b</p>");
	free(s);
}

/* Hostile sizes: linear time on many '<' without '>', many <pre>. */
static void
test_bounds(void)
{
	size_t n = 300000, i;
	char *in = malloc(n + 1), *s;
	for (i = 0; i < n; i++)
		in[i] = "<p<li<pre"[i % 9];
	in[n] = '\0';
	s = bb_wpautop(in, n, 1, NULL);
	CHECK(s != NULL && strlen(s) > n / 2);
	free(s);
	for (i = 0; i + 12 <= n; i += 12)
		memcpy(in + i, "<pre>\n</pre>", 12);
	s = bb_wpautop(in, i, 1, NULL);
	CHECK(s != NULL && strlen(s) >= i);
	free(s);
	free(in);
}

int
main(void)
{
	test_cases();
	test_more();
	test_blocks();
	test_bounds();
	return TEST_DONE();
}

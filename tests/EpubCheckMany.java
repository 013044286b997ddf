// EpubCheckMany.java: EPUBCheck's own command line (EpubChecker.run, what
// `java -jar epubcheck.jar ARGS` runs) over many books in one JVM, so that
// the start-up, the loading of its schemas and the JIT are paid once per test
// suite instead of once per book (tests/tap.py starts it; the JRE alone runs
// it: `java -cp epubcheck.jar tests/EpubCheckMany.java`, JEP 330).
//
// Protocol: each line read from stdin is one command line, its arguments
// separated by tabs (e.g. "-q<TAB>book.epub"). For each, the checker's
// output (stdout and stderr both) is written to stdout after a header line
// "EPUBCHECK <exit status> <bytes of output>". An exception the checker
// throws counts as exit status 2 with its stack trace as the output, as the
// command line would print it and exit non-zero.
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

public class EpubCheckMany {
	public static void main(String[] argv) throws Exception {
		PrintStream out = System.out;
		PrintStream err = System.err;
		BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
		String line;
		while ((line = in.readLine()) != null) {
			ByteArrayOutputStream buf = new ByteArrayOutputStream();
			PrintStream cap = new PrintStream(buf, true, "UTF-8");
			System.setOut(cap);
			System.setErr(cap);
			int rc;
			try {
				rc = new com.adobe.epubcheck.tool.EpubChecker().run(line.split("\t"));
			} catch (Throwable t) {
				// StackOverflowError and the like: the JVM goes on
				t.printStackTrace(cap);
				rc = 2;
			} finally {
				cap.flush();
				System.setOut(out);
				System.setErr(err);
			}
			byte[] b = buf.toByteArray();
			out.print("EPUBCHECK " + rc + " " + b.length + "\n");
			out.write(b);
			out.flush();
		}
	}
}

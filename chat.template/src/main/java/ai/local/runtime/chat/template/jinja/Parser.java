package ai.local.runtime.chat.template.jinja;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import ai.local.runtime.chat.template.TemplateException;
import ai.local.runtime.chat.template.jinja.Lexer.Kind;
import ai.local.runtime.chat.template.jinja.Lexer.Token;

/** Tokens to statements, with Jinja2's grammar and operator precedence. */
final class Parser {
	private final List<Token> tokens;
	private int pos;

	private Parser(List<Token> tokens) {
		this.tokens = tokens;
	}

	static List<Stmt> parse(String source) {
		Parser p = new Parser(Lexer.tokenize(source));
		List<Stmt> body = p.body(Set.of());
		if (p.peek().kind() != Kind.EOF) {
			throw p.error("unexpected '" + p.peek().text() + "'");
		}
		return body;
	}

	private Token peek() {
		return tokens.get(pos);
	}

	private Token peek(int ahead) {
		return tokens.get(Math.min(pos + ahead, tokens.size() - 1));
	}

	private Token next() {
		return tokens.get(pos++);
	}

	private boolean acceptOp(String op) {
		if (peek().isOp(op)) {
			pos++;
			return true;
		}
		return false;
	}

	private boolean acceptName(String name) {
		if (peek().isName(name)) {
			pos++;
			return true;
		}
		return false;
	}

	private void expectOp(String op) {
		if (!acceptOp(op)) {
			throw error("expected '" + op + "', got '" + peek().text() + "'");
		}
	}

	private String expectName() {
		if (peek().kind() != Kind.NAME) {
			throw error("expected a name, got '" + peek().text() + "'");
		}
		return next().text();
	}

	private void expect(Kind kind) {
		if (peek().kind() != kind) {
			throw error("expected the end of the tag, got '" + peek().text() + "'");
		}
		pos++;
	}

	private TemplateException error(String what) {
		return new TemplateException("template syntax error on line " + peek().line() + ": " + what);
	}

	/** Statements up to (not including) a block tag whose first word is in {@code ends}. */
	private List<Stmt> body(Set<String> ends) {
		List<Stmt> out = new ArrayList<>();
		while (true) {
			Token t = peek();
			switch (t.kind()) {
			case EOF:
				if (!ends.isEmpty()) {
					throw error("the template ended while looking for " + String.join(" or ", ends));
				}
				return out;
			case TEXT:
				pos++;
				out.add(new Stmt.Text(t.text()));
				break;
			case VAR_BEGIN:
				pos++;
				out.add(new Stmt.Output(tuple()));
				expect(Kind.VAR_END);
				break;
			case BLOCK_BEGIN:
				Token word = peek(1);
				if (word.kind() == Kind.NAME && ends.contains(word.text())) {
					return out;
				}
				pos++;
				out.add(statement());
				break;
			default:
				throw error("unexpected '" + t.text() + "'");
			}
		}
	}

	/** After {@code {%}: one statement, up to and including its end tag. */
	private Stmt statement() {
		String word = expectName();
		switch (word) {
		case "if":
			return ifStatement();
		case "for":
			return forStatement();
		case "set":
			return setStatement();
		case "macro":
			return macro();
		case "filter": {
			List<Expr.Filter> filters = new ArrayList<>();
			filters.add(filter(new Expr.Const(null)));
			filters.addAll(filterChain(filters.get(0)));
			expect(Kind.BLOCK_END);
			List<Stmt> body = body(Set.of("endfilter"));
			endTag("endfilter");
			return new Stmt.FilterBlock(filters, body);
		}
		case "generation": {
			expect(Kind.BLOCK_END);
			List<Stmt> body = body(Set.of("endgeneration"));
			endTag("endgeneration");
			return new Stmt.Block(body);
		}
		case "break":
			expect(Kind.BLOCK_END);
			return new Stmt.Break();
		case "continue":
			expect(Kind.BLOCK_END);
			return new Stmt.Continue();
		case "do": {
			Expr e = tuple();
			expect(Kind.BLOCK_END);
			return (scope, out) -> e.eval(scope);
		}
		default:
			pos--;
			throw error("unknown tag '" + word + "'");
		}
	}

	private void endTag(String name) {
		expect(Kind.BLOCK_BEGIN);
		if (!acceptName(name)) {
			throw error("expected " + name);
		}
		expect(Kind.BLOCK_END);
	}

	private Stmt ifStatement() {
		List<Expr> tests = new ArrayList<>();
		List<List<Stmt>> bodies = new ArrayList<>();
		List<Stmt> otherwise = List.of();
		tests.add(tuple());
		expect(Kind.BLOCK_END);
		while (true) {
			bodies.add(body(Set.of("elif", "else", "endif")));
			expect(Kind.BLOCK_BEGIN);
			String w = expectName();
			if (w.equals("elif")) {
				tests.add(tuple());
				expect(Kind.BLOCK_END);
			} else if (w.equals("else")) {
				expect(Kind.BLOCK_END);
				otherwise = body(Set.of("endif"));
				endTag("endif");
				break;
			} else {
				expect(Kind.BLOCK_END);
				break;
			}
		}
		return new Stmt.If(tests, bodies, otherwise);
	}

	private Stmt forStatement() {
		List<String> targets = new ArrayList<>();
		boolean parens = acceptOp("(");
		do {
			targets.add(expectName());
		} while (acceptOp(","));
		if (parens) {
			expectOp(")");
		}
		if (!acceptName("in")) {
			throw error("expected 'in'");
		}
		Expr iterable = tupleNoCondition();
		Expr filter = null;
		if (acceptName("if")) {
			filter = expression();
		}
		boolean recursive = acceptName("recursive");
		expect(Kind.BLOCK_END);
		List<Stmt> body = body(Set.of("else", "endfor"));
		List<Stmt> otherwise = List.of();
		expect(Kind.BLOCK_BEGIN);
		if (acceptName("else")) {
			expect(Kind.BLOCK_END);
			otherwise = body(Set.of("endfor"));
			endTag("endfor");
		} else {
			acceptName("endfor");
			expect(Kind.BLOCK_END);
		}
		return new Stmt.For(targets, iterable, filter, body, otherwise, recursive);
	}

	private Stmt setStatement() {
		String first = expectName();
		Expr namespace = null;
		List<String> targets = new ArrayList<>();
		if (acceptOp(".")) {
			namespace = new Expr.Name(first);
			targets.add(expectName());
		} else {
			targets.add(first);
			while (acceptOp(",")) {
				targets.add(expectName());
			}
		}
		if (acceptOp("=")) {
			Expr value = tuple();
			expect(Kind.BLOCK_END);
			return new Stmt.Set(targets, namespace, value);
		}
		List<Expr.Filter> filters = peek().isOp("|") ? filterChain(new Expr.Const(null)) : List.of();
		expect(Kind.BLOCK_END);
		List<Stmt> body = body(Set.of("endset"));
		endTag("endset");
		return new Stmt.SetBlock(targets.get(0), namespace, body, filters);
	}

	private Stmt macro() {
		String name = expectName();
		expectOp("(");
		List<String> params = new ArrayList<>();
		List<Expr> defaults = new ArrayList<>();
		while (!acceptOp(")")) {
			if (!params.isEmpty()) {
				expectOp(",");
				if (acceptOp(")")) {
					break;
				}
			}
			params.add(expectName());
			if (acceptOp("=")) {
				defaults.add(expression());
			} else if (!defaults.isEmpty()) {
				throw error("a parameter without a default follows one with a default");
			}
		}
		expect(Kind.BLOCK_END);
		List<Stmt> body = body(Set.of("endmacro"));
		expect(Kind.BLOCK_BEGIN);
		acceptName("endmacro");
		if (peek().kind() == Kind.NAME) {
			pos++;
		}
		expect(Kind.BLOCK_END);
		return new Stmt.MacroDef(name, params, defaults, body);
	}

	/** {@code |f(args)|g ...} applied to {@code value}; the filters themselves. */
	private List<Expr.Filter> filterChain(Expr value) {
		List<Expr.Filter> out = new ArrayList<>();
		Expr v = value;
		while (acceptOp("|")) {
			Expr.Filter f = filter(v);
			out.add(f);
			v = f;
		}
		return out;
	}

	// expressions, lowest precedence first

	/** An expression, or several separated by commas: a tuple. */
	private Expr tuple() {
		return tuple(true);
	}

	private Expr tupleNoCondition() {
		return tuple(false);
	}

	private Expr tuple(boolean conditional) {
		List<Expr> items = new ArrayList<>();
		boolean comma = false;
		while (true) {
			if (!items.isEmpty()) {
				if (!acceptOp(",")) {
					break;
				}
				comma = true;
			}
			if (atTupleEnd()) {
				break;
			}
			items.add(conditional ? expression() : or());
		}
		if (!comma && items.size() == 1) {
			return items.get(0);
		}
		if (items.isEmpty() && !comma) {
			throw error("expected an expression, got '" + peek().text() + "'");
		}
		return new Expr.ListLiteral(items, true);
	}

	private boolean atTupleEnd() {
		Token t = peek();
		return t.kind() == Kind.VAR_END || t.kind() == Kind.BLOCK_END || t.kind() == Kind.EOF || t.isOp(")")
				|| t.isName("recursive");
	}

	private Expr expression() {
		Expr e = or();
		while (acceptName("if")) {
			Expr test = or();
			Expr otherwise = acceptName("else") ? expression() : null;
			e = new Expr.Conditional(test, e, otherwise);
		}
		return e;
	}

	private Expr or() {
		Expr e = and();
		while (acceptName("or")) {
			e = new Expr.Or(e, and());
		}
		return e;
	}

	private Expr and() {
		Expr e = not();
		while (acceptName("and")) {
			e = new Expr.And(e, not());
		}
		return e;
	}

	private Expr not() {
		if (acceptName("not")) {
			return new Expr.Not(not());
		}
		return compare();
	}

	private Expr compare() {
		Expr first = math1();
		List<String> ops = new ArrayList<>();
		List<Expr> rest = new ArrayList<>();
		while (true) {
			Token t = peek();
			if (t.kind() == Kind.OP && Set.of("==", "!=", "<", "<=", ">", ">=").contains(t.text())) {
				pos++;
				ops.add(t.text());
			} else if (t.isName("in")) {
				pos++;
				ops.add("in");
			} else if (t.isName("not") && peek(1).isName("in")) {
				pos += 2;
				ops.add("notin");
			} else {
				break;
			}
			rest.add(math1());
		}
		return ops.isEmpty() ? first : new Expr.Compare(first, ops, rest);
	}

	private Expr math1() {
		Expr e = concat();
		while (peek().isOp("+") || peek().isOp("-")) {
			String op = next().text();
			e = new Expr.Arithmetic(op, e, concat());
		}
		return e;
	}

	private Expr concat() {
		Expr e = math2();
		if (!peek().isOp("~")) {
			return e;
		}
		List<Expr> parts = new ArrayList<>(List.of(e));
		while (acceptOp("~")) {
			parts.add(math2());
		}
		return new Expr.Concat(parts);
	}

	private Expr math2() {
		Expr e = pow();
		while (peek().isOp("*") || peek().isOp("/") || peek().isOp("//") || peek().isOp("%")) {
			String op = next().text();
			e = new Expr.Arithmetic(op, e, pow());
		}
		return e;
	}

	private Expr pow() {
		Expr e = unary(true);
		while (acceptOp("**")) {
			e = new Expr.Arithmetic("**", e, unary(true));
		}
		return e;
	}

	private Expr unary(boolean withFilter) {
		Expr e;
		if (acceptOp("-")) {
			e = new Expr.Negate(unary(false));
		} else if (acceptOp("+")) {
			e = unary(false);
		} else {
			e = primary();
		}
		e = postfix(e);
		return withFilter ? filterExpression(e) : e;
	}

	private Expr primary() {
		Token t = next();
		switch (t.kind()) {
		case NAME:
			return switch (t.text()) {
			case "true", "True" -> new Expr.Const(true);
			case "false", "False" -> new Expr.Const(false);
			case "none", "None" -> new Expr.Const(null);
			default -> new Expr.Name(t.text());
			};
		case STRING: {
			StringBuilder b = new StringBuilder(t.text());
			while (peek().kind() == Kind.STRING) {
				b.append(next().text());
			}
			return new Expr.Const(b.toString());
		}
		case INT:
			return new Expr.Const(Long.parseLong(t.text()));
		case FLOAT:
			return new Expr.Const(Double.parseDouble(t.text()));
		case OP:
			switch (t.text()) {
			case "(": {
				if (acceptOp(")")) {
					return new Expr.ListLiteral(List.of(), true);
				}
				Expr e = tuple();
				expectOp(")");
				return e;
			}
			case "[": {
				List<Expr> items = new ArrayList<>();
				while (!acceptOp("]")) {
					if (!items.isEmpty()) {
						expectOp(",");
						if (acceptOp("]")) {
							break;
						}
					}
					items.add(expression());
				}
				return new Expr.ListLiteral(items, false);
			}
			case "{": {
				List<Expr> keys = new ArrayList<>(), values = new ArrayList<>();
				while (!acceptOp("}")) {
					if (!keys.isEmpty()) {
						expectOp(",");
						if (acceptOp("}")) {
							break;
						}
					}
					keys.add(expression());
					expectOp(":");
					values.add(expression());
				}
				return new Expr.DictLiteral(keys, values);
			}
			default:
			}
			// fall through
		default:
			pos--;
			throw error("unexpected '" + t.text() + "'");
		}
	}

	private Expr postfix(Expr e) {
		while (true) {
			if (acceptOp(".")) {
				Token t = next();
				if (t.kind() == Kind.NAME) {
					e = new Expr.Attr(e, t.text());
				} else if (t.kind() == Kind.INT) {
					e = new Expr.Item(e, new Expr.Const(Long.parseLong(t.text())));
				} else {
					pos--;
					throw error("expected an attribute name after '.'");
				}
			} else if (acceptOp("[")) {
				e = subscript(e);
			} else if (peek().isOp("(")) {
				e = new Expr.Call(e, callArgs());
			} else {
				return e;
			}
		}
	}

	private Expr subscript(Expr target) {
		Expr[] parts = new Expr[3];
		int part = 0;
		boolean slice = false;
		while (!acceptOp("]")) {
			if (acceptOp(":")) {
				slice = true;
				part++;
				if (part > 2) {
					throw error("too many ':' in a slice");
				}
				continue;
			}
			parts[part] = expression();
		}
		if (!slice) {
			if (parts[0] == null) {
				throw error("empty subscript");
			}
			return new Expr.Item(target, parts[0]);
		}
		return new Expr.Slice(target, parts[0], parts[1], parts[2]);
	}

	private Expr.Args callArgs() {
		expectOp("(");
		List<Expr> positional = new ArrayList<>();
		Map<String, Expr> keywords = new LinkedHashMap<>();
		while (!acceptOp(")")) {
			if (!positional.isEmpty() || !keywords.isEmpty()) {
				expectOp(",");
				if (acceptOp(")")) {
					break;
				}
			}
			if (peek().kind() == Kind.NAME && peek(1).isOp("=")) {
				String k = next().text();
				pos++;
				keywords.put(k, expression());
			} else {
				positional.add(expression());
			}
		}
		return new Expr.Args(positional, keywords);
	}

	private Expr filterExpression(Expr e) {
		while (true) {
			if (peek().isOp("|")) {
				pos++;
				e = filter(e);
			} else if (peek().isName("is")) {
				pos++;
				e = test(e);
			} else if (peek().isOp("(")) {
				e = new Expr.Call(e, callArgs());
			} else {
				return e;
			}
		}
	}

	private Expr.Filter filter(Expr value) {
		StringBuilder name = new StringBuilder(expectName());
		while (acceptOp(".")) {
			name.append('.').append(expectName());
		}
		Builtins.FilterFn fn = Builtins.FILTERS.get(name.toString());
		if (fn == null) {
			// Jinja2 fails when such a filter is reached, not before: a template may only use it on some path
			String missing = "no filter named '" + name + "' (line " + peek().line() + ")";
			fn = (v, a, kw) -> {
				throw new TemplateException(missing);
			};
		}
		Expr.Args args = peek().isOp("(") ? callArgs() : Expr.Args.NONE;
		return new Expr.Filter(value, name.toString(), fn, args);
	}

	private Expr test(Expr value) {
		boolean negated = acceptName("not");
		String name = expectName();
		Builtins.TestFn fn = Builtins.TESTS.get(name);
		if (fn == null) {
			String missing = "no test named '" + name + "' (line " + peek().line() + ")";
			fn = (v, a) -> {
				throw new TemplateException(missing);
			};
		}
		Expr.Args args = Expr.Args.NONE;
		if (peek().isOp("(")) {
			args = callArgs();
		} else if (startsPrimary(peek())) {
			Expr arg = postfix(primary());
			args = new Expr.Args(List.of(arg), Map.of());
		}
		return new Expr.Test(value, name, fn, args, negated);
	}

	/** Whether a test's single argument follows without parentheses ({@code is divisibleby 3}). */
	private static boolean startsPrimary(Token t) {
		return switch (t.kind()) {
		case STRING, INT, FLOAT -> true;
		case NAME -> !Set.of("else", "or", "and", "if", "is", "in", "not", "recursive").contains(t.text());
		case OP -> t.text().equals("[") || t.text().equals("{");
		default -> false;
		};
	}
}

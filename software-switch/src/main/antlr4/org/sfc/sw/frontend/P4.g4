/*
 * P4-16 grammar for the sfc software switch, written from the grammar appendix of the P4-16 language
 * specification. It covers the subset the software switch executes (see software-switch/README.md);
 * anything parsed here but not executable is rejected later by the checker as "unsupported: ...".
 *
 * Conventions that differ from a naive transcription, and why:
 *  - '>>' is not a token. It is parsed as two '>' (and the AST builder checks they are adjacent), so that
 *    nested type arguments such as register<bit<32>> lex correctly, as p4c does.
 *  - Keywords that the spec lets appear as names (apply, key, actions, state, entries, type, priority)
 *    are accepted by the rule 'name'.
 *  - Operator precedence follows the spec: ?: < || < && < == != < relational < | < ^ < & < shifts
 *    < ++ + - |+| |-| < * / % < prefix < postfix. ANTLR gives earlier alternatives higher precedence.
 */
grammar P4;

program : declaration* EOF ;

declaration
    : constantDeclaration
    | externDeclaration
    | actionDeclaration
    | parserDeclaration
    | parserTypeDeclaration
    | controlDeclaration
    | controlTypeDeclaration
    | packageTypeDeclaration
    | instantiation
    | headerTypeDeclaration
    | headerUnionDeclaration
    | structTypeDeclaration
    | enumDeclaration
    | typedefDeclaration
    | errorDeclaration
    | matchKindDeclaration
    | functionDeclaration
    | ';'
    ;

// ---------------------------------------------------------------- annotations
annotations : annotation+ ;
annotation  : '@' name ( '(' annotationBody? ')' )? ;
annotationBody : ( annotationToken | '(' annotationBody? ')' )+ ;
annotationToken : ~( '(' | ')' ) ;

name
    : IDENTIFIER | 'apply' | 'key' | 'actions' | 'state' | 'entries' | 'type' | 'priority'
    ;

// ---------------------------------------------------------------- types
typeRef
    : baseType                                   # baseTypeRef
    | name typeArgs                              # specializedTypeRef
    | name                                       # namedTypeRef
    | typeRef '[' expression ']'                 # headerStackTypeRef
    | 'tuple' typeArgs                           # tupleTypeRef
    ;

baseType
    : 'bool'
    | 'error'
    | 'string'
    | 'bit'
    | 'int'
    | 'bit' '<' widthExpr '>'
    | 'int' '<' widthExpr '>'
    | 'varbit' '<' widthExpr '>'
    ;

widthExpr : INTEGER | '(' expression ')' ;

typeArgs : '<' typeArg ( ',' typeArg )* '>' ;
typeArg  : typeRef | 'void' | '_' ;

typeOrVoid : typeRef | 'void' ;

typeParameters : '<' name ( ',' name )* '>' ;

// ---------------------------------------------------------------- type declarations
headerTypeDeclaration  : annotations? 'header' name typeParameters? '{' structField* '}' ;
headerUnionDeclaration : annotations? 'header_union' name typeParameters? '{' structField* '}' ;
structTypeDeclaration  : annotations? 'struct' name typeParameters? '{' structField* '}' ;
structField            : annotations? typeRef name ';' ;

enumDeclaration
    : annotations? 'enum' name '{' name ( ',' name )* ','? '}'                          # plainEnum
    | annotations? 'enum' typeRef name '{' specifiedName ( ',' specifiedName )* ','? '}' # serializableEnum
    ;
specifiedName : name '=' expression ;

typedefDeclaration
    : annotations? 'typedef' typeRef name ';'
    | annotations? 'type' typeRef name ';'
    ;

errorDeclaration     : 'error' '{' name ( ',' name )* ','? '}' ;
matchKindDeclaration : 'match_kind' '{' name ( ',' name )* ','? '}' ;

constantDeclaration : annotations? 'const' typeRef name '=' expression ';' ;

// ---------------------------------------------------------------- externs, packages, prototypes
externDeclaration
    : annotations? 'extern' name typeParameters? '{' methodPrototype* '}'   # externObject
    | annotations? 'extern' functionPrototype ';'                          # externFunction
    ;

methodPrototype
    : annotations? name '(' parameterList ')' ';'               # constructorPrototype
    | annotations? 'abstract'? functionPrototype ';'             # plainMethodPrototype
    ;

functionPrototype : typeOrVoid name typeParameters? '(' parameterList ')' ;

functionDeclaration : annotations? functionPrototype blockStatement ;

parameterList : ( parameter ( ',' parameter )* )? ;
parameter     : annotations? direction? typeRef name ( '=' expression )? ;
direction     : 'in' | 'out' | 'inout' ;

packageTypeDeclaration : annotations? 'package' name typeParameters? '(' parameterList ')' ';' ;

instantiation : annotations? typeRef '(' argumentList ')' name ';' ;

// ---------------------------------------------------------------- parsers
parserTypeDeclaration : annotations? 'parser' name typeParameters? '(' parameterList ')' ';' ;

parserDeclaration
    : annotations? 'parser' name typeParameters? '(' parameterList ')' ( '(' parameterList ')' )?
      '{' parserLocalElement* parserState+ '}'
    ;

parserLocalElement : constantDeclaration | variableDeclaration | instantiation ;

parserState : annotations? 'state' name '{' parserStatement* transitionStatement? '}' ;

parserStatement
    : assignmentOrCall
    | variableDeclaration
    | constantDeclaration
    | '{' parserStatement* '}'
    | conditionalStatement
    | ';'
    ;

transitionStatement
    : 'transition' name ';'                                      # directTransition
    | 'transition' 'select' '(' expressionList ')' '{' selectCase* '}'   # selectTransition
    ;

selectCase : keysetExpression ':' name ';' ;

keysetExpression
    : '(' simpleKeyset ( ',' simpleKeyset )+ ')'     # tupleKeyset
    | simpleKeyset                                   # singleKeyset
    ;

simpleKeyset
    : 'default'                                      # defaultKeyset
    | '_'                                            # dontCareKeyset
    | expression '&&&' expression                    # maskKeyset
    | expression '..' expression                     # rangeKeyset
    | expression                                     # valueKeyset
    ;

// ---------------------------------------------------------------- controls
controlTypeDeclaration : annotations? 'control' name typeParameters? '(' parameterList ')' ';' ;

controlDeclaration
    : annotations? 'control' name typeParameters? '(' parameterList ')' ( '(' parameterList ')' )?
      '{' controlLocalDeclaration* 'apply' blockStatement '}'
    ;

controlLocalDeclaration
    : constantDeclaration
    | actionDeclaration
    | tableDeclaration
    | instantiation
    | variableDeclaration
    ;

actionDeclaration : annotations? 'action' name '(' parameterList ')' blockStatement ;

tableDeclaration : annotations? 'table' name '{' tableProperty+ '}' ;

tableProperty
    : 'key' '=' '{' keyElement* '}'                                         # keyProperty
    | 'actions' '=' '{' ( actionRef ';' )* '}'                              # actionsProperty
    | annotations? isConst='const'? 'entries' '=' '{' entry* '}'            # entriesProperty
    | annotations? isConst='const'? name '=' expression ';'                 # simpleProperty
    ;

keyElement : expression ':' name annotations? ';' ;

actionRef : annotations? name ( '(' argumentList ')' )? ;

entry : ( 'priority' '=' expression ':' )? keysetExpression ':' actionRef annotations? ';' ;

// ---------------------------------------------------------------- statements
variableDeclaration : annotations? typeRef name ( '=' expression )? ';' ;

statement
    : assignmentOrCall
    | conditionalStatement
    | blockStatement
    | 'exit' ';'
    | 'return' expression? ';'
    | switchStatement
    | variableDeclaration
    | constantDeclaration
    | ';'
    ;

assignmentOrCall
    : expression '=' expression ';'     # assignment
    | expression ';'                    # callStatement
    ;

conditionalStatement : 'if' '(' expression ')' statement ( 'else' statement )? ;

blockStatement : annotations? '{' statement* '}' ;

switchStatement : 'switch' '(' expression ')' '{' switchCase* '}' ;
switchCase      : switchLabel ':' blockStatement? ;
switchLabel     : 'default' | expression ;

// ---------------------------------------------------------------- expressions
argumentList : ( argument ( ',' argument )* )? ;
argument
    : name '=' expression     # namedArgument
    | '_'                     # dontCareArgument
    | expression              # positionalArgument
    ;

namedExpression : name '=' expression ;
expressionList : expression ( ',' expression )* ;

expression
    : INTEGER                                                    # intLiteral
    | STRING_LITERAL                                             # stringLiteral
    | ( 'true' | 'false' )                                       # boolLiteral
    | name                                                       # nameExpr
    | 'error' '.' name                                           # errorMember
    | expression '.' name                                        # memberExpr
    | expression '[' expression ':' expression ']'               # sliceExpr
    | expression '[' expression ']'                              # indexExpr
    | expression typeArgs? '(' argumentList ')'                  # callExpr
    | '{' namedExpression ( ',' namedExpression )* ','? '}'      # structExpr
    | '{' expressionList? '}'                                    # listExpr
    | '(' expression ')'                                         # parenExpr
    | '(' typeRef ')' expression                                 # castExpr
    | op=( '!' | '~' | '-' | '+' ) expression                    # unaryExpr
    | expression op=( '*' | '/' | '%' ) expression               # binaryExpr
    | expression op=( '+' | '-' | '|+|' | '|-|' | '++' ) expression # binaryExpr
    | expression ( op='<<' | gt1='>' gt2='>' ) expression        # shiftExpr
    | expression op='&' expression                               # binaryExpr
    | expression op='^' expression                               # binaryExpr
    | expression op='|' expression                               # binaryExpr
    | expression op=( '<=' | '>=' | '<' | '>' ) expression       # binaryExpr
    | expression op=( '==' | '!=' ) expression                   # binaryExpr
    | expression op='&&' expression                              # binaryExpr
    | expression op='||' expression                              # binaryExpr
    | expression '?' expression ':' expression                   # ternaryExpr
    ;

// ---------------------------------------------------------------- lexer
INTEGER        : [0-9] [0-9a-fA-FxXwsoObB_]* ;
STRING_LITERAL : '"' ( ~["\\\r\n] | '\\' . )* '"' ;
IDENTIFIER     : [A-Za-z_] [A-Za-z0-9_]* ;
LINE_COMMENT   : '//' ~[\r\n]* -> skip ;
BLOCK_COMMENT  : '/*' .*? '*/' -> skip ;
WS             : [ \t\r\n\f]+ -> skip ;
ANY            : . ;

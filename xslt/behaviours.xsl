<?xml version="1.0" encoding="UTF-8"?>
<!--
  The rendering vocabulary: the few ways an element can appear in HTML (inline, block, label, placeholder,
  break, link, note reference). Element rules in the other modules decide WHICH behaviour applies and with
  what class and attributes; the HTML element that stands for a TEI element is always written here, so that
  the guarantees below hold for every element:

  - an element that holds a block (a table, a list, a paragraph in a quotation) never renders as a phrasing
    element, so the HTML stays valid (no table inside <p> or <span>);
  - an attribute with an empty value is never written (no data-hand="" when the TEI has no @hand);
  - an HTML element is never serialised empty (<span/>), because the XML output is embedded in an HTML page,
    where a self-closed <span/> or <td/> opens an element that swallows the rest of the page.

  Only named templates (and the one list they share) live here: this module matches no element.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:exsl="http://exslt.org/common"
    exclude-result-prefixes="tei exsl">

  <!-- TEI elements whose rule renders an HTML block (section, div, p, ul, li, table, tr, td...) wherever they
       stand; an element that is a block only in some places (label: dt in a list, a span elsewhere) is not
       listed, since its block form has a listed ancestor. Listed once, because two decisions depend on it:
       whether an ancestor may still be a phrasing element (holds-block), and whether the default rule uses
       div or span for an element without a rule of its own.
       Beyond the elements the edition styles, the list follows TEI's own model classes, so that a TEI text
       with elements the edition has no rule for still reads as blocks and lines: the divisions and their
       tops and bottoms (model.divLike, divTop, divBottom, divWrapper), the paragraph-like (model.pLike), the
       list-like and the entries of those lists (model.listLike: persons, places, cast...), verse and drama
       (lg, l, sp), figures, nested texts and their groups, the parts of front and back matter and of a title
       page, and dictionary entries. -->
  <xsl:variable name="block-elements" select="concat(
      ' ab argument back body byline castGroup castItem castList cell closer dateline div div1 div2 div3 div4',
      ' div5 div6 div7 divGen docEdition docImprint docTitle entry entryFree epigraph event figure',
      ' floatingText front group head imprimatur item l lg list listApp listBibl listEvent listNym',
      ' listObject listOrg listPerson listPlace listRelation listWit meeting nym object opener org p',
      ' person personGrp place postscript relation row salute signed sp spGrp superEntry table text',
      ' titlePage titlePart trailer u witness ')"/>

  <!-- "view-reading" or "view-diplomatic": the class naming the view rendered (any value of $view but
       'reading' renders the diplomatic view). -->
  <xsl:template name="view-class">
    <xsl:choose>
      <xsl:when test="$view = 'reading'">view-reading</xsl:when>
      <xsl:otherwise>view-diplomatic</xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- What is left of an element a view does not show (a deletion in the reading view, a correction in the
       diplomatic one): its anchors, so that links, note numbers and page ids are the same in both views. The
       note references and page markers inside it are rendered; any other element with an xml:id leaves an
       empty anchor with that id. Elements inside a note inside it are rendered with the note, at the end. -->
  <xsl:template name="omitted-anchors">
    <xsl:variable name="notes" select="count(ancestor-or-self::tei:note)"/>
    <xsl:for-each select="descendant-or-self::*[self::tei:note or self::tei:pb or @xml:id]
                                               [count(ancestor::tei:note) = $notes]">
      <xsl:choose>
        <xsl:when test="self::tei:note or self::tei:pb">
          <xsl:apply-templates select="."/>
        </xsl:when>
        <xsl:otherwise>
          <xsl:call-template name="make-anchor"/>
        </xsl:otherwise>
      </xsl:choose>
    </xsl:for-each>
  </xsl:template>

  <!-- An empty element carrying the current element's xml:id, for an element whose rendering has no place
       for it (a line break run on, a page marker whose own id is the page's): a pointer to it, from this
       document or another, still lands there. -->
  <xsl:template name="make-anchor">
    <xsl:if test="@xml:id">
      <span class="anchor" id="{@xml:id}"><xsl:comment/></span>
    </xsl:if>
  </xsl:template>

  <!-- Yields "yes" when the current element holds, outside its own notes, an element that renders as a block.
       A note's content is rendered at the end of the text, so a list inside a note does not turn the paragraph
       that holds the note into a block. -->
  <xsl:template name="holds-block">
    <xsl:variable name="notes" select="count(ancestor-or-self::tei:note)"/>
    <xsl:if test=".//tei:*[contains($block-elements, concat(' ', local-name(), ' '))]
                          [count(ancestor::tei:note) = $notes]">yes</xsl:if>
  </xsl:template>

  <!-- The one place that writes an HTML element for a TEI element, with the attributes every element may
       carry (id, language, the encoder's certainty). `attributes` is a carrier element whose
       attributes are copied when they are not empty, so callers can write attribute value templates freely;
       `before`, `content` (instead of the element's children; left out or empty, the children are rendered)
       and `after` are result fragments. -->
  <xsl:template name="make-block">
    <xsl:param name="element" select="'div'"/>
    <xsl:param name="class"/>
    <xsl:param name="attributes"/>
    <xsl:param name="before"/>
    <xsl:param name="content" select="false()"/>
    <xsl:param name="after"/>
    <xsl:element name="{$element}">
      <xsl:if test="@xml:id">
        <xsl:attribute name="id"><xsl:value-of select="@xml:id"/></xsl:attribute>
      </xsl:if>
      <xsl:if test="@xml:lang">
        <xsl:attribute name="lang"><xsl:value-of select="@xml:lang"/></xsl:attribute>
      </xsl:if>
      <xsl:if test="normalize-space(@cert)">
        <xsl:attribute name="data-cert"><xsl:value-of select="normalize-space(@cert)"/></xsl:attribute>
      </xsl:if>
      <xsl:if test="normalize-space($class)">
        <xsl:attribute name="class"><xsl:value-of select="normalize-space($class)"/></xsl:attribute>
      </xsl:if>
      <xsl:copy-of select="exsl:node-set($attributes)/*/@*[normalize-space(.)]"/>
      <xsl:copy-of select="$before"/>
      <xsl:choose>
        <xsl:when test="$content">
          <xsl:copy-of select="$content"/>
        </xsl:when>
        <xsl:otherwise>
          <xsl:apply-templates/>
        </xsl:otherwise>
      </xsl:choose>
      <xsl:copy-of select="$after"/>
      <xsl:call-template name="keep-open"/>
    </xsl:element>
  </xsl:template>

  <!-- An element in running text: a span (or the given phrasing element), unless it holds a block, in which
       case it becomes `block-element` so that it may legally contain that block. -->
  <xsl:template name="make-inline">
    <xsl:param name="element" select="'span'"/>
    <xsl:param name="block-element" select="'div'"/>
    <xsl:param name="class"/>
    <xsl:param name="attributes"/>
    <xsl:param name="before"/>
    <xsl:param name="content" select="false()"/>
    <xsl:param name="after"/>
    <xsl:variable name="holds-block">
      <xsl:call-template name="holds-block"/>
    </xsl:variable>
    <xsl:call-template name="make-block">
      <xsl:with-param name="element">
        <xsl:choose>
          <xsl:when test="string($holds-block)"><xsl:value-of select="$block-element"/></xsl:when>
          <xsl:otherwise><xsl:value-of select="$element"/></xsl:otherwise>
        </xsl:choose>
      </xsl:with-param>
      <xsl:with-param name="class" select="$class"/>
      <xsl:with-param name="attributes" select="$attributes"/>
      <xsl:with-param name="before" select="$before"/>
      <xsl:with-param name="content" select="$content"/>
      <xsl:with-param name="after" select="$after"/>
    </xsl:call-template>
  </xsl:template>

  <!-- A span that only groups part of an element's rendering (the handwriting inside an addition): it carries
       no id of its own, since the element's id is already on the outer HTML element. Like make-inline, it is
       a div when the element holds a block (a list written in the margin). -->
  <xsl:template name="make-part">
    <xsl:param name="class"/>
    <xsl:param name="content"/>
    <xsl:variable name="holds-block">
      <xsl:call-template name="holds-block"/>
    </xsl:variable>
    <xsl:variable name="element">
      <xsl:choose>
        <xsl:when test="string($holds-block)">div</xsl:when>
        <xsl:otherwise>span</xsl:otherwise>
      </xsl:choose>
    </xsl:variable>
    <xsl:element name="{$element}">
      <xsl:attribute name="class"><xsl:value-of select="$class"/></xsl:attribute>
      <xsl:copy-of select="$content"/>
      <xsl:call-template name="keep-open"/>
    </xsl:element>
  </xsl:template>

  <!-- An empty comment child keeps an element from being serialised as <x/>, which an HTML parser reads as
       an unclosed start tag. libxml2 writes a comment made here as nothing, so the result is <x></x> when the
       element is empty and unchanged when it is not: every element made gets one, and its content need not be
       gathered first to tell (which copied each text once for every element around it). -->
  <xsl:template name="keep-open">
    <xsl:comment/>
  </xsl:template>

  <!-- Text the edition shows that is not on the paper: stamp labels, [Page 2], the brackets of supplied text.
       Each label is an element of its own, so it never merges with the transcribed words beside it (the
       search index can leave it out by class). -->
  <xsl:template name="make-label">
    <xsl:param name="text"/>
    <xsl:param name="class" select="'label'"/>
    <xsl:if test="string($text)">
      <span class="{$class}"><xsl:value-of select="$text"/></span>
    </xsl:if>
  </xsl:template>

  <!-- A label for assistive technology only: what sighted readers see from the layout or the styling
       (a running head at the top of a page, a handwritten word) must be said in words to others. -->
  <xsl:template name="make-hidden-label">
    <xsl:param name="text"/>
    <xsl:call-template name="make-label">
      <xsl:with-param name="text" select="$text"/>
      <xsl:with-param name="class" select="'visually-hidden'"/>
    </xsl:call-template>
  </xsl:template>

  <!-- A visible stand-in for something that has no text of its own (withheld text, a blank space, a change
       of hand): always in square brackets, so it is never empty and never mistaken for transcription. -->
  <xsl:template name="make-placeholder">
    <xsl:param name="class"/>
    <xsl:param name="text"/>
    <xsl:param name="attributes"/>
    <xsl:param name="content"/>
    <xsl:call-template name="make-inline">
      <xsl:with-param name="class" select="$class"/>
      <xsl:with-param name="attributes" select="$attributes"/>
      <xsl:with-param name="content">
        <xsl:text>[</xsl:text>
        <xsl:value-of select="$text"/>
        <xsl:copy-of select="$content"/>
        <xsl:text>]</xsl:text>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <!-- A line break, with the element's xml:id when it has one (a pointer may name a line). -->
  <xsl:template name="make-break">
    <xsl:param name="class"/>
    <br class="{$class}">
      <xsl:if test="@xml:id">
        <xsl:attribute name="id"><xsl:value-of select="@xml:id"/></xsl:attribute>
      </xsl:if>
    </br>
  </xsl:template>

  <!-- A link only for targets a browser can follow safely: fragments, relative paths, http(s) and mailto.
       Anything else (javascript:, data:, an unknown scheme) keeps its content as a span with the target in
       data-target, so an odd pointer in a transcription cannot become an active link in the site. -->
  <xsl:template name="make-link">
    <xsl:param name="href"/>
    <xsl:param name="class"/>
    <xsl:param name="content" select="false()"/>
    <xsl:variable name="scheme" select="translate(substring-before($href, ':'),
        'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')"/>
    <xsl:variable name="safe" select="string($href) and (
        starts-with($href, '#')
        or not(contains(substring-before(concat($href, '/'), '/'), ':'))
        or $scheme = 'http' or $scheme = 'https' or $scheme = 'mailto')"/>
    <xsl:call-template name="make-inline">
      <xsl:with-param name="element">
        <xsl:choose>
          <xsl:when test="$safe">a</xsl:when>
          <xsl:otherwise>span</xsl:otherwise>
        </xsl:choose>
      </xsl:with-param>
      <xsl:with-param name="class" select="$class"/>
      <xsl:with-param name="attributes">
        <xsl:choose>
          <xsl:when test="$safe"><x href="{$href}"/></xsl:when>
          <xsl:otherwise><x data-target="{$href}"/></xsl:otherwise>
        </xsl:choose>
      </xsl:with-param>
      <xsl:with-param name="content" select="$content"/>
    </xsl:call-template>
  </xsl:template>

  <!-- The in-text half of a note: a superscript number linking to the note's body at the end of the text,
       with an id the body links back to. -->
  <xsl:template name="make-note-ref">
    <xsl:param name="id"/>
    <xsl:param name="n"/>
    <xsl:param name="attach"/>
    <a class="note-ref" id="{$id}-ref" href="#{$id}" aria-label="Note {$n}">
      <xsl:if test="string($attach)">
        <xsl:attribute name="data-attach"><xsl:value-of select="$attach"/></xsl:attribute>
      </xsl:if>
      <sup><xsl:value-of select="$n"/></sup>
    </a>
  </xsl:template>

  <!-- "base base-a base-b" from a base class and whitespace-separated tokens (@type, @rend): one class per
       token, so CSS can select any of them. -->
  <xsl:template name="modifier-classes">
    <xsl:param name="base"/>
    <xsl:param name="tokens"/>
    <xsl:value-of select="$base"/>
    <xsl:call-template name="prefixed-tokens">
      <xsl:with-param name="prefix" select="concat(' ', $base, '-')"/>
      <xsl:with-param name="tokens" select="normalize-space($tokens)"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template name="prefixed-tokens">
    <xsl:param name="prefix"/>
    <xsl:param name="tokens"/>
    <xsl:if test="$tokens">
      <xsl:variable name="first" select="substring-before(concat($tokens, ' '), ' ')"/>
      <xsl:value-of select="concat($prefix, $first)"/>
      <xsl:call-template name="prefixed-tokens">
        <xsl:with-param name="prefix" select="$prefix"/>
        <xsl:with-param name="tokens" select="substring-after($tokens, ' ')"/>
      </xsl:call-template>
    </xsl:if>
  </xsl:template>

  <!-- The ids named by a pointer attribute ("#person-rusk #person-bohlen" gives "person-rusk person-bohlen");
       a token that is not a same-edition pointer is kept as written. -->
  <xsl:template name="pointer-ids">
    <xsl:param name="pointers"/>
    <xsl:variable name="tokens" select="normalize-space($pointers)"/>
    <xsl:if test="$tokens">
      <xsl:variable name="first" select="substring-before(concat($tokens, ' '), ' ')"/>
      <xsl:choose>
        <xsl:when test="starts-with($first, '#')"><xsl:value-of select="substring($first, 2)"/></xsl:when>
        <xsl:otherwise><xsl:value-of select="$first"/></xsl:otherwise>
      </xsl:choose>
      <xsl:if test="contains($tokens, ' ')">
        <xsl:text> </xsl:text>
        <xsl:call-template name="pointer-ids">
          <xsl:with-param name="pointers" select="substring-after($tokens, ' ')"/>
        </xsl:call-template>
      </xsl:if>
    </xsl:if>
  </xsl:template>

  <!-- HTML lists, tables and rows admit only their items, rows and cells as children, while TEI lets a page
       break (or any milestone) stand between two of them. Such a "stray" is rendered at the start of the next
       item, row or cell (the "slot"), and strays after the last slot at its end, so nothing is lost and the
       HTML stays valid. `slots` and `skip` (elements rendered elsewhere, like a list's head) are lists of
       local names between spaces. -->
  <xsl:template name="leading-strays">
    <xsl:param name="slots"/>
    <xsl:param name="skip" select="' head '"/>
    <xsl:variable name="me" select="generate-id()"/>
    <xsl:apply-templates select="preceding-sibling::node()
        [not(self::text()) or normalize-space()]
        [not(self::tei:*[contains(concat($slots, $skip), concat(' ', local-name(), ' '))])]
        [generate-id(following-sibling::tei:*[contains($slots, concat(' ', local-name(), ' '))][1]) = $me]"/>
  </xsl:template>

  <xsl:template name="trailing-strays">
    <xsl:param name="slots"/>
    <xsl:param name="skip" select="' head '"/>
    <xsl:if test="not(following-sibling::tei:*[contains($slots, concat(' ', local-name(), ' '))])">
      <xsl:apply-templates select="following-sibling::node()
          [not(self::text()) or normalize-space()]
          [not(self::tei:*[contains($skip, concat(' ', local-name(), ' '))])]"/>
    </xsl:if>
  </xsl:template>

</xsl:stylesheet>

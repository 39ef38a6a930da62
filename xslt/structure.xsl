<?xml version="1.0" encoding="UTF-8"?>
<!--
  The shape of the text: its divisions, headings, paragraphs, letter parts, lists, quotations, highlighting
  and links. The result of the whole transformation is one <div class="tei-text">: the rendered text followed
  by its notes; the teiHeader is not rendered here (the page template shows the metadata).
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    exclude-result-prefixes="tei">

  <!-- Elements a pointer in the text can reach on this page; any other "#id" names a register entry or
       another document, whose address only the site builder knows. -->
  <xsl:key name="rendered-id" match="tei:text//*[@xml:id]" use="@xml:id"/>

  <xsl:template match="/">
    <xsl:if test="$view != 'diplomatic' and $view != 'reading'">
      <xsl:message>edition: unknown view "<xsl:value-of select="$view"/>" (the views are diplomatic and reading); the diplomatic view is rendered</xsl:message>
    </xsl:if>
    <xsl:choose>
      <xsl:when test="tei:TEI/tei:text">
        <xsl:apply-templates select="tei:TEI/tei:text"/>
      </xsl:when>
      <xsl:otherwise>
        <!-- A register has no text; the page still receives the one root element it expects. -->
        <div>
          <xsl:attribute name="class">
            <xsl:text>tei-text </xsl:text>
            <xsl:call-template name="view-class"/>
          </xsl:attribute>
          <xsl:comment> no text </xsl:comment>
        </div>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- The root carries the view it was rendered in, so the page's stylesheet can style each view. A text
       within the text (one of a group's) is a block of it: the notes of all of them are listed once, at the
       end, and numbered with the paragraphs and pages through the whole document, so no id repeats. -->
  <xsl:template match="tei:text">
    <xsl:choose>
      <xsl:when test="parent::tei:TEI">
        <xsl:call-template name="outer-text"/>
      </xsl:when>
      <xsl:otherwise>
        <xsl:call-template name="make-block">
          <xsl:with-param name="class" select="'text'"/>
        </xsl:call-template>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template name="outer-text">
    <xsl:call-template name="make-block">
      <xsl:with-param name="class">
        <xsl:text>tei-text </xsl:text>
        <xsl:call-template name="view-class"/>
      </xsl:with-param>
      <xsl:with-param name="attributes">
        <x lang="{ancestor-or-self::*[@xml:lang][1]/@xml:lang}"/>
      </xsl:with-param>
      <xsl:with-param name="after">
        <xsl:call-template name="notes-section"/>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="tei:front | tei:body | tei:back">
    <xsl:call-template name="make-block">
      <xsl:with-param name="class" select="local-name()"/>
    </xsl:call-template>
  </xsl:template>

  <!-- A division with a heading is a section of the document outline; one without is only a grouping. -->
  <xsl:template match="tei:div">
    <xsl:call-template name="make-block">
      <xsl:with-param name="element">
        <xsl:choose>
          <xsl:when test="tei:head">section</xsl:when>
          <xsl:otherwise>div</xsl:otherwise>
        </xsl:choose>
      </xsl:with-param>
      <xsl:with-param name="class">
        <xsl:call-template name="modifier-classes">
          <xsl:with-param name="base" select="'div'"/>
          <xsl:with-param name="tokens" select="@type"/>
        </xsl:call-template>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <!-- The page's own title is the h1, so a top-level division's heading is an h2 and each level of nesting
       goes one deeper (HTML stops at h6). A list's or a figure's heading is not part of the outline; a
       table's becomes its caption (tables.xsl). A heading that holds a block (TEI lets a head hold a list or
       a table) cannot be an h2, which admits phrasing content only: it is a div that says it is a heading of
       that level. -->
  <xsl:template match="tei:head">
    <xsl:variable name="depth" select="count(ancestor::tei:div) + 1"/>
    <xsl:variable name="level">
      <xsl:choose>
        <xsl:when test="$depth &lt;= 2">2</xsl:when>
        <xsl:when test="$depth &gt;= 6">6</xsl:when>
        <xsl:otherwise><xsl:value-of select="$depth"/></xsl:otherwise>
      </xsl:choose>
    </xsl:variable>
    <xsl:variable name="outline" select="parent::tei:div | parent::tei:body | parent::tei:front | parent::tei:back"/>
    <xsl:variable name="holds-block">
      <xsl:call-template name="holds-block"/>
    </xsl:variable>
    <xsl:call-template name="make-block">
      <xsl:with-param name="element">
        <xsl:choose>
          <xsl:when test="not($outline) or string($holds-block)">div</xsl:when>
          <xsl:otherwise><xsl:value-of select="concat('h', $level)"/></xsl:otherwise>
        </xsl:choose>
      </xsl:with-param>
      <xsl:with-param name="class" select="'head'"/>
      <xsl:with-param name="attributes">
        <xsl:if test="$outline and string($holds-block)">
          <x role="heading" aria-level="{$level}"/>
        </xsl:if>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <!-- Paragraphs of the text are numbered in document order and end with a link to themselves: the number
       and the anchor are how a reader cites a passage. A paragraph inside a note belongs to the note and is
       neither numbered nor linked. A paragraph holding a table, list or block of a form becomes a div with
       the paragraph role, since HTML allows only phrasing content in <p>. -->
  <xsl:template match="tei:p">
    <xsl:choose>
      <xsl:when test="ancestor::tei:note">
        <xsl:call-template name="make-inline">
          <xsl:with-param name="element" select="'p'"/>
          <xsl:with-param name="class" select="'p'"/>
        </xsl:call-template>
      </xsl:when>
      <xsl:otherwise>
        <xsl:variable name="n">
          <xsl:number level="any" count="tei:p[not(ancestor::tei:note)]" from="tei:TEI/tei:text"/>
        </xsl:variable>
        <xsl:variable name="id">
          <xsl:value-of select="@xml:id"/>
          <xsl:if test="not(@xml:id)"><xsl:value-of select="concat($document-id, '-p', $n)"/></xsl:if>
        </xsl:variable>
        <xsl:variable name="holds-block">
          <xsl:call-template name="holds-block"/>
        </xsl:variable>
        <xsl:call-template name="make-block">
          <xsl:with-param name="element">
            <xsl:choose>
              <xsl:when test="string($holds-block)">div</xsl:when>
              <xsl:otherwise>p</xsl:otherwise>
            </xsl:choose>
          </xsl:with-param>
          <xsl:with-param name="class" select="'p'"/>
          <xsl:with-param name="attributes">
            <x id="{$id}" data-n="{$n}">
              <xsl:if test="string($holds-block)">
                <xsl:attribute name="role">paragraph</xsl:attribute>
              </xsl:if>
            </x>
          </xsl:with-param>
          <xsl:with-param name="after">
            <xsl:text> </xsl:text>
            <a class="pilcrow" href="#{$id}" title="Link to paragraph {$n}">
              <xsl:text>¶</xsl:text>
              <span class="n"><xsl:value-of select="$n"/></span>
            </a>
          </xsl:with-param>
        </xsl:call-template>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="tei:ab">
    <xsl:call-template name="make-block">
      <xsl:with-param name="class">
        <xsl:call-template name="modifier-classes">
          <xsl:with-param name="base" select="'ab'"/>
          <xsl:with-param name="tokens" select="@type"/>
        </xsl:call-template>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="tei:opener | tei:closer | tei:dateline | tei:salute | tei:signed | tei:postscript">
    <xsl:call-template name="make-block">
      <xsl:with-param name="class" select="local-name()"/>
    </xsl:call-template>
  </xsl:template>

  <!-- A list whose entries carry labels (a glossary, a form's fields) is a description list. Its heading is
       not part of <ul>, which admits only items, so it comes before. A list without entries has nowhere to
       put what else it holds, so it is a div. -->
  <xsl:template match="tei:list">
    <xsl:variable name="entries" select="tei:item | tei:label"/>
    <xsl:apply-templates select="tei:head"/>
    <xsl:call-template name="make-block">
      <xsl:with-param name="element">
        <xsl:choose>
          <xsl:when test="not($entries)">div</xsl:when>
          <xsl:when test="tei:label">dl</xsl:when>
          <xsl:when test="@type = 'ordered' or contains(concat(' ', @rend, ' '), ' numbered ')">ol</xsl:when>
          <xsl:otherwise>ul</xsl:otherwise>
        </xsl:choose>
      </xsl:with-param>
      <xsl:with-param name="class">
        <xsl:call-template name="modifier-classes">
          <xsl:with-param name="base" select="'list'"/>
          <xsl:with-param name="tokens" select="@type"/>
        </xsl:call-template>
      </xsl:with-param>
      <xsl:with-param name="content">
        <xsl:choose>
          <xsl:when test="$entries">
            <xsl:apply-templates select="$entries"/>
          </xsl:when>
          <xsl:otherwise>
            <xsl:apply-templates select="node()[not(self::tei:head)]"/>
          </xsl:otherwise>
        </xsl:choose>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="tei:item">
    <xsl:call-template name="list-entry">
      <xsl:with-param name="element">
        <xsl:choose>
          <xsl:when test="../tei:label">dd</xsl:when>
          <xsl:otherwise>li</xsl:otherwise>
        </xsl:choose>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <!-- The class "label" names the labels the edition itself writes (Stamp (filed)), so a TEI label is
       "tei-label". Outside a list it is a phrase of running text. -->
  <xsl:template match="tei:label">
    <xsl:choose>
      <xsl:when test="parent::tei:list">
        <xsl:call-template name="list-entry">
          <xsl:with-param name="element" select="'dt'"/>
          <xsl:with-param name="class" select="'tei-label'"/>
        </xsl:call-template>
      </xsl:when>
      <xsl:otherwise>
        <xsl:call-template name="make-inline">
          <xsl:with-param name="class" select="'tei-label'"/>
        </xsl:call-template>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template name="list-entry">
    <xsl:param name="element"/>
    <xsl:param name="class"/>
    <xsl:call-template name="make-block">
      <xsl:with-param name="element" select="$element"/>
      <xsl:with-param name="class" select="$class"/>
      <xsl:with-param name="content">
        <xsl:call-template name="leading-strays">
          <xsl:with-param name="slots" select="' item label '"/>
        </xsl:call-template>
        <xsl:apply-templates/>
        <xsl:call-template name="trailing-strays">
          <xsl:with-param name="slots" select="' item label '"/>
        </xsl:call-template>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <!-- The transcription keeps the quotation marks of the source, so q is not rendered as <q> (whose marks
       the browser would add a second time). -->
  <xsl:template match="tei:q">
    <xsl:call-template name="make-inline">
      <xsl:with-param name="class" select="'q'"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="tei:quote">
    <xsl:call-template name="make-inline">
      <xsl:with-param name="block-element" select="'blockquote'"/>
      <xsl:with-param name="class" select="'quote'"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="tei:seg | tei:foreign">
    <xsl:call-template name="make-inline">
      <xsl:with-param name="class">
        <xsl:call-template name="modifier-classes">
          <xsl:with-param name="base" select="local-name()"/>
          <xsl:with-param name="tokens" select="@type"/>
        </xsl:call-template>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <!-- Italic and bold (FRUS writes "strong") are emphasis in the documents of this edition; a superscript or
       subscript is HTML's own, so it stays one without the stylesheet; every other rendition (small caps,
       underline, roman) is a class only, one per token, styled by the page. -->
  <xsl:template match="tei:hi">
    <xsl:variable name="rend" select="concat(' ', normalize-space(@rend), ' ')"/>
    <xsl:call-template name="make-inline">
      <xsl:with-param name="element">
        <xsl:choose>
          <xsl:when test="contains($rend, ' italic ')">em</xsl:when>
          <xsl:when test="contains($rend, ' bold ') or contains($rend, ' strong ')">strong</xsl:when>
          <xsl:when test="contains($rend, ' superscript ') or contains($rend, ' sup ')">sup</xsl:when>
          <xsl:when test="contains($rend, ' subscript ') or contains($rend, ' sub ')">sub</xsl:when>
          <xsl:otherwise>span</xsl:otherwise>
        </xsl:choose>
      </xsl:with-param>
      <xsl:with-param name="class">
        <xsl:call-template name="modifier-classes">
          <xsl:with-param name="base" select="'hi'"/>
          <xsl:with-param name="tokens" select="@rend"/>
        </xsl:call-template>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <!-- A pointer to a register entry or another document ("#person-rusk") has no target on this page: it is
       kept in data-target for the site builder, which knows where registers and documents are written. -->
  <xsl:template match="tei:ref">
    <xsl:variable name="target" select="substring-before(concat(normalize-space(@target), ' '), ' ')"/>
    <xsl:choose>
      <xsl:when test="starts-with($target, '#') and not(key('rendered-id', substring($target, 2)))">
        <xsl:call-template name="make-inline">
          <xsl:with-param name="class" select="'ref'"/>
          <xsl:with-param name="attributes"><x data-target="{substring($target, 2)}"/></xsl:with-param>
        </xsl:call-template>
      </xsl:when>
      <xsl:otherwise>
        <xsl:call-template name="make-link">
          <xsl:with-param name="href" select="$target"/>
          <xsl:with-param name="class" select="'ref'"/>
        </xsl:call-template>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- A ptr has no words of its own: its target is what the reader sees. -->
  <xsl:template match="tei:ptr">
    <xsl:variable name="target" select="substring-before(concat(normalize-space(@target), ' '), ' ')"/>
    <xsl:variable name="shown">
      <xsl:call-template name="make-label">
        <xsl:with-param name="class" select="'target'"/>
        <xsl:with-param name="text">
          <xsl:value-of select="normalize-space(@target)"/>
          <xsl:if test="not($target)">[pointer]</xsl:if>
        </xsl:with-param>
      </xsl:call-template>
    </xsl:variable>
    <xsl:choose>
      <xsl:when test="not($target) or starts-with($target, '#') and not(key('rendered-id', substring($target, 2)))">
        <xsl:call-template name="make-inline">
          <xsl:with-param name="class" select="'ptr'"/>
          <xsl:with-param name="attributes"><x data-target="{substring($target, 2)}"/></xsl:with-param>
          <xsl:with-param name="content" select="$shown"/>
        </xsl:call-template>
      </xsl:when>
      <xsl:otherwise>
        <xsl:call-template name="make-link">
          <xsl:with-param name="href" select="$target"/>
          <xsl:with-param name="class" select="'ptr'"/>
          <xsl:with-param name="content" select="$shown"/>
        </xsl:call-template>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- An address stays phrasing content (it may stand in a paragraph or a letter's opener); its lines are
       separated by line breaks so they read as lines even without the stylesheet. -->
  <xsl:template match="tei:address">
    <xsl:call-template name="make-inline">
      <xsl:with-param name="class" select="'address'"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="tei:addrLine">
    <xsl:call-template name="make-inline">
      <xsl:with-param name="class" select="'addrLine'"/>
    </xsl:call-template>
    <xsl:if test="following-sibling::tei:addrLine">
      <xsl:call-template name="make-break">
        <xsl:with-param name="class" select="'addrLine-break'"/>
      </xsl:call-template>
    </xsl:if>
  </xsl:template>

</xsl:stylesheet>
